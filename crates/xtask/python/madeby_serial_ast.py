"""One `ast.parse` at a time in the schemathesis process.

CPython 3.11 keeps the AST converter's recursion counter in interpreter-wide state. With
`--workers 2`, two threads describing hypothesis lambdas parse source at once; a garbage
collection inside one conversion lets the other thread run, and the first then fails with
"SystemError: AST constructor recursion depth mismatch" (CPython gh-106905; seen in CI on
POST /api/v1/directory/{id}/verify). Parsing is rare here, so a lock costs nothing.
"""

import ast
import functools
import threading

_lock = threading.RLock()
_parse = ast.parse


@functools.wraps(_parse)
def _serial_parse(*args, **kwargs):
    with _lock:
        return _parse(*args, **kwargs)


ast.parse = _serial_parse
