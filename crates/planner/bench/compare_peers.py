"""Times the planner against HiGHS and CBC on OR-Library capacitated facility location.

For each instance, in one run and one after the other (never two solvers at once: the
machine has two cores), it solves the multi-source problem with

- ours: the planner's `solve_orlib` example (Lagrangian bounds and fixing, then HiGHS on the
  reduced MIP), time as the planner reports it (model building included, file reading not);
- highs: highspy (the HiGHS engine the planner links, through its Python bindings) on the
  plain formulation, time of `Highs.run()` (model passing excluded);
- cbc: CBC through PuLP on the plain formulation, time of `LpProblem.solve()` (writing and
  reading the model files included, as that is how PuLP talks to CBC);

and prints a table: each tool's seconds and whether it proved the optimum (or its gap), the
ratios ours/highs and ours/cbc, and the totals. The plain formulation is

    min sum_i f_i y_i + sum_ij c_ij x_ij
    s.t. sum_i x_ij = 1 (each customer j), sum_j d_j x_ij <= s_i y_i (each facility i),
         0 <= x_ij <= y_i, y_i binary,

with a relative gap of 0 and one thread for every tool. Each peer runs in a child process of
its own that is killed at the time limit plus a grace period: CBC does not honour its time
limit while it solves the first LP.

    python3 crates/planner/bench/compare_peers.py --ours target/release/examples/solve_orlib \\
        [--instances capa1,capb1] [--time-limit 600] [--tools ours,highs,cbc] [--json out.json]

Requires `pip install highspy pulp` (PuLP bundles CBC).
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ORLIB = os.path.normpath(os.path.join(HERE, "../../../../shared/data/orlib"))
LARGE = [f"cap{s}{v}" for s in "abc" for v in "1234"]
# Seconds a child may run past the time limit before it is killed: model building in Python
# (PuLP takes about 10 s on 100,000 variables) and CBC's first LP.
GRACE = 60


def read_instance(path):
    tokens = open(path).read().split()
    m, n = int(tokens[0]), int(tokens[1])
    p = 2
    capacity = [float(tokens[p + 2 * i]) for i in range(m)]
    fixed = [float(tokens[p + 2 * i + 1]) for i in range(m)]
    p += 2 * m
    demand = [float(t) for t in tokens[p:p + n]]
    p += n
    cost = [[float(t) for t in tokens[p + i * n:p + (i + 1) * n]] for i in range(m)]
    return capacity, fixed, demand, cost


def published_optima(orlib):
    optima = {}
    with open(os.path.join(orlib, "optima.csv")) as f:
        next(f)
        for line in f:
            fields = line.strip().split(",")
            optima[fields[0]] = float(fields[3])
    return optima


def mark_start():
    """Tells the parent when the timed solve starts, so a killed run's time excludes the model
    building (a wall-clock timestamp: the parent reads it after the kill)."""
    print(json.dumps({"solve_started": time.time()}), flush=True)


def solve_highs(path, time_limit):
    import highspy
    import numpy as np

    capacity, fixed, demand, cost = read_instance(path)
    m, n = len(capacity), len(demand)
    cap, d, c = np.array(capacity), np.array(demand), np.array(cost)
    # Columns: y_0 .. y_{m-1}, then x_ij at m + i*n + j. Rows: n assignment rows, m capacity
    # rows, then the m*n linking rows x_ij - y_i <= 0 at n + m + i*n + j.
    inf = highspy.kHighsInf
    ii = np.repeat(np.arange(m), n)
    jj = np.tile(np.arange(n), m)
    link = n + m + ii * n + jj
    starts = [0]
    index, value = [], []
    for i in range(m):
        rows = np.concatenate([[n + i], n + m + i * n + np.arange(n)])
        index.append(rows)
        value.append(np.concatenate([[-cap[i]], -np.ones(n)]))
        starts.append(starts[-1] + len(rows))
    x_index = np.stack([jj, n + ii, link], axis=1).ravel()
    x_value = np.stack([np.ones(m * n), d[jj], np.ones(m * n)], axis=1).ravel()
    index = np.concatenate(index + [x_index])
    value = np.concatenate(value + [x_value])
    starts = np.concatenate([starts, starts[-1] + 3 * np.arange(1, m * n + 1)])

    lp = highspy.HighsLp()
    lp.num_col_ = m + m * n
    lp.num_row_ = n + m + m * n
    lp.col_cost_ = np.concatenate([fixed, c.ravel()])
    lp.col_lower_ = np.zeros(lp.num_col_)
    lp.col_upper_ = np.ones(lp.num_col_)
    lp.row_lower_ = np.concatenate([np.ones(n), np.full(m + m * n, -inf)])
    lp.row_upper_ = np.concatenate([np.ones(n), np.zeros(m + m * n)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * m + [highspy.HighsVarType.kContinuous] * (m * n)

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.passModel(lp)
    mark_start()
    started = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - started
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    feasible = info.primal_solution_status == 2
    return {
        "seconds": seconds,
        "optimal": status == "Optimal",
        "objective": info.objective_function_value if feasible else None,
        "bound": info.mip_dual_bound,
        "gap": info.mip_gap if feasible else None,
        "status": status,
        "version": highspy.Highs().version(),
    }


def solve_cbc(path, time_limit):
    import pulp

    capacity, fixed, demand, cost = read_instance(path)
    m, n = len(capacity), len(demand)
    prob = pulp.LpProblem("cflp", pulp.LpMinimize)
    y = [pulp.LpVariable(f"y{i}", cat="Binary") for i in range(m)]
    x = [[pulp.LpVariable(f"x{i}_{j}", 0, 1) for j in range(n)] for i in range(m)]
    prob += pulp.lpSum(fixed[i] * y[i] for i in range(m)) + pulp.lpSum(
        cost[i][j] * x[i][j] for i in range(m) for j in range(n))
    for j in range(n):
        prob += pulp.lpSum(x[i][j] for i in range(m)) == 1
    for i in range(m):
        prob += pulp.lpSum(demand[j] * x[i][j] for j in range(n)) <= capacity[i] * y[i]
    for i in range(m):
        for j in range(n):
            prob += x[i][j] <= y[i]
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "cbc.log")
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=0, threads=1, logPath=log)
        mark_start()
        started = time.perf_counter()
        prob.solve(solver)
        seconds = time.perf_counter() - started
        text = open(log).read() if os.path.exists(log) else ""
    gap = re.search(r"^Gap:\s+([0-9.eE+-]+)", text, re.M)
    result = re.search(r"^Result - (.*)$", text, re.M)
    optimal = prob.sol_status == pulp.LpSolutionOptimal
    feasible = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    return {
        "seconds": seconds,
        "optimal": optimal,
        "objective": pulp.value(prob.objective) if feasible else None,
        "gap": 0.0 if optimal else (float(gap.group(1)) if gap else None),
        "status": result.group(1) if result else pulp.LpStatus[prob.status],
        "version": pulp.__version__,
    }


def run_child(tool, path, time_limit):
    """One peer solve in a child process of its own session, killed if it overruns."""
    command = [sys.executable, os.path.abspath(__file__), "--child", tool, path, str(time_limit)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, _ = child.communicate(timeout=time_limit + GRACE)
    except subprocess.TimeoutExpired:
        # The whole session: PuLP runs CBC as a grandchild.
        os.killpg(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        killed = time.time()
        marks = [json.loads(line) for line in out.splitlines() if "solve_started" in line]
        seconds = killed - marks[0]["solve_started"] if marks else time.perf_counter() - started
        return {"seconds": seconds, "optimal": False, "objective": None, "gap": None,
                "status": "killed"}
    if child.returncode != 0:
        return {"seconds": time.perf_counter() - started, "optimal": False, "objective": None,
                "gap": None, "status": f"exit code {child.returncode}"}
    return json.loads(out.strip().splitlines()[-1])


def run_ours(exe, path, time_limit):
    started = time.perf_counter()
    try:
        out = subprocess.run([exe, path, str(time_limit)], check=True, capture_output=True,
                             text=True, timeout=time_limit + GRACE).stdout
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
        return {"seconds": time.perf_counter() - started, "optimal": False, "objective": None,
                "gap": None, "status": f"failed: {err}"}
    return json.loads(out.strip().splitlines()[-1])


def verdict(result, optimum):
    """`optimal` when proven and equal to the published optimum, else what went wrong."""
    objective = result.get("objective")
    if objective is None:
        return result.get("status", "no solution")
    off = abs(objective - optimum) / optimum
    if result.get("optimal"):
        return "optimal" if off < 1e-6 else f"WRONG {objective:.3f}"
    gap = result.get("gap")
    gap = f"gap {100 * gap:.2f}%" if gap is not None else "gap ?"
    best = "= opt" if off < 1e-6 else f"+{100 * off:.2f}%"
    return f"{gap}, best {best}"


def ratio(ours, peer):
    if not (ours.get("optimal") and "seconds" in peer):
        return "-"
    # A peer that did not finish took at least its time: the ratio is at most this.
    bound = "" if peer.get("optimal") else "<"
    return f"{bound}{ours['seconds'] / peer['seconds']:.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "PATH", "LIMIT"), help=argparse.SUPPRESS)
    parser.add_argument("--ours", help="the solve_orlib example binary")
    parser.add_argument("--orlib", default=DEFAULT_ORLIB)
    parser.add_argument("--instances", default=",".join(LARGE))
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--tools", default="ours,highs,cbc")
    parser.add_argument("--json", help="also write every result to this file")
    args = parser.parse_args()

    if args.child:
        tool, path, limit = args.child
        solve = {"highs": solve_highs, "cbc": solve_cbc}[tool]
        print(json.dumps(solve(path, float(limit))))
        return

    tools = args.tools.split(",")
    if "ours" in tools and not args.ours:
        parser.error("--ours is required to time the planner")
    optima = published_optima(args.orlib)
    instances = args.instances.split(",")
    results = {}
    for name in instances:
        path = os.path.join(args.orlib, f"{name}.txt")
        results[name] = {}
        for tool in tools:
            if tool == "ours":
                r = run_ours(args.ours, path, args.time_limit)
            else:
                r = run_child(tool, path, args.time_limit)
            results[name][tool] = r
            print(f"{name} {tool}: {r['seconds']:.1f} s, {verdict(r, optima[name])}",
                  file=sys.stderr, flush=True)

    print(f"time limit {args.time_limit:g} s per instance and tool; one thread each; seconds are wall-clock")
    header = ["instance"]
    for tool in tools:
        header += [f"{tool} s", f"{tool} result"]
    header += [f"ours/{t}" for t in tools if t != "ours" and "ours" in tools]
    rows = []
    for name in instances:
        row = [name]
        for tool in tools:
            r = results[name][tool]
            row += [f"{r['seconds']:.1f}", verdict(r, optima[name])]
        if "ours" in tools:
            row += [ratio(results[name]["ours"], results[name][t]) for t in tools if t != "ours"]
        rows.append(row)
    total = ["total"]
    for tool in tools:
        seconds = sum(results[n][tool]["seconds"] for n in instances)
        proven = sum(1 for n in instances if verdict(results[n][tool], optima[n]) == "optimal")
        total += [f"{seconds:.1f}", f"{proven}/{len(instances)} proven"]
    if "ours" in tools:
        ours = sum(results[n]["ours"]["seconds"] for n in instances)
        for t in tools:
            if t == "ours":
                continue
            peer = sum(results[n][t]["seconds"] for n in instances)
            unfinished = any(not results[n][t].get("optimal") for n in instances)
            total.append(f"{'<' if unfinished else ''}{ours / peer:.3f}")
    rows.append(total)
    widths = [max(len(str(r[k])) for r in [header] + rows) for k in range(len(header))]
    for r in [header] + rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip())
    if any(not results[n][t].get("optimal") for n in instances for t in tools if t != "ours"):
        print("<: the peer did not prove optimality within the limit, so its true time is longer")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
