"""Times DuckDB on the registry benchmark and compares it with madeby's `tabulate_csv`.

The workload: counts of operating enterprises by province, by city, by sector and by
province x sector, read from one registry CSV.

    python3 crates/registry/bench/compare_duckdb.py REGISTRY.csv [TABULATE_BENCH_EXE] [--runs N]

Prints JSON with `duckdb_seconds` (the best DuckDB variant, best of N runs), the time of each
variant, and, when the Rust example `tabulate_bench` is given, `madeby_seconds` and the ratio.
Requires `pip install duckdb`. Timings are wall-clock on a warm page cache.
"""

import argparse
import json
import subprocess
import time

import duckdb

COLUMNS = {
    "id": "VARCHAR",
    "name": "VARCHAR",
    "province": "VARCHAR",
    "city": "VARCHAR",
    "sector": "VARCHAR",
    "status": "VARCHAR",
    "year_established": "VARCHAR",
    "registered_capital_cny": "VARCHAR",
    "employees": "VARCHAR",
}
GROUPS = ["province", "city", "sector", "province, sector"]


def source(path):
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in COLUMNS.items())
    return f"read_csv('{path}', header = true, columns = {{{columns}}})"


def four_queries(con, path):
    """The four group-bys as four queries, each scanning the CSV."""
    for group in GROUPS:
        con.execute(
            f"SELECT {group}, count(*) FROM {source(path)} "
            f"WHERE status = 'operating' GROUP BY ALL"
        ).fetchall()


def grouping_sets(con, path):
    """The four group-bys in one query and one scan (DuckDB's best shape for this job)."""
    sets = ", ".join(f"({group})" for group in GROUPS)
    con.execute(
        f"SELECT province, city, sector, count(*) FROM {source(path)} "
        f"WHERE status = 'operating' GROUP BY GROUPING SETS ({sets})"
    ).fetchall()


def best_of(runs, work):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times), times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("tabulate_bench", nargs="?")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    con = duckdb.connect()
    result = {"duckdb_version": duckdb.__version__, "duckdb_threads": con.execute(
        "SELECT current_setting('threads')").fetchone()[0]}
    single, single_runs = best_of(args.runs, lambda: grouping_sets(con, args.csv))
    four, four_runs = best_of(args.runs, lambda: four_queries(con, args.csv))
    result["duckdb_grouping_sets_seconds"] = round(single, 4)
    result["duckdb_grouping_sets_runs"] = [round(t, 4) for t in single_runs]
    result["duckdb_four_queries_seconds"] = round(four, 4)
    result["duckdb_four_queries_runs"] = [round(t, 4) for t in four_runs]
    result["duckdb_seconds"] = round(min(single, four), 4)

    if args.tabulate_bench:
        out = subprocess.run(
            [args.tabulate_bench, args.csv, str(args.runs)],
            check=True, capture_output=True, text=True,
        ).stdout
        madeby = json.loads(out)
        result["madeby_seconds"] = madeby["madeby_seconds"]
        result["madeby_runs"] = madeby["runs"]
        result["madeby_over_duckdb"] = round(madeby["madeby_seconds"] / result["duckdb_seconds"], 3)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
