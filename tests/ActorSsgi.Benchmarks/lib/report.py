#!/usr/bin/python3
"""Summarise results.tsv from run.sh: one row per (scenario, server) with the median over rounds.

Ratios are taken between medians of the same run (same machine state, interleaved rounds), never across runs.
Usage: report.py results.tsv
"""
import statistics
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the sources for the module below
import report_issue17  # noqa: E402  (issue 17's tables)
import report_fanout  # noqa: E402  (ActorSsgi's fan-out against the concurrent baseline)

SCENARIOS = ["plaintext", "json", "hello", "cpu-hello", "static-4k", "static-1m", "static-1g", "ws-echo", "ws-idle", "ws-fanout", "ws-fanout-peak-rss", "ws-fanout-rss-growth", "stream", "stream-peak-rss"]
SERVERS = ["raw-kestrel", "raw-kestrel-concurrent", "minimal-api", "aspnetcore-on-actorssgi", "actorssgi",
           "gunicorn-flask", "actorssgi-wsgi", "actorssgi-wsgi-w2", "uvicorn-starlette", "actorssgi-asgi", "actorssgi-rsgi", "actorssgi-pyssgi"]
BASE, MINIMAL = "raw-kestrel", "minimal-api"
# Python apps: (server, the Python server it is measured against, issue 14's throughput target for HTTP, for ws-echo).
PYTHON_PAIRS = [
    ("actorssgi-wsgi", "gunicorn-flask", 2.0, None),
    ("actorssgi-wsgi-w2", "actorssgi-wsgi", 1.7, None),  # --workers 2 over one worker
    ("actorssgi-asgi", "uvicorn-starlette", 1.5, 1.5),
    ("actorssgi-rsgi", "uvicorn-starlette", 2.5, 1.5),
    ("actorssgi-pyssgi", "uvicorn-starlette", 2.5, 1.5),
]


def load(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            round_, scenario, server, value, unit, cpu, better = line.rstrip("\n").split("\t")
            entry = rows.setdefault((scenario, server), {"values": [], "cpu": [], "unit": unit, "better": better})
            entry["values"].append(float(value))
            if cpu != "-":
                entry["cpu"].append(float(cpu))
    return rows


def fmt(x):
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"


def ratio(a, b):
    return "-" if a is None or b in (None, 0) else f"{a / b:.2f}x"


def main(path):
    rows = load(path)
    median = {k: statistics.median(v["values"]) for k, v in rows.items()}
    cpu = {k: statistics.median(v["cpu"]) if v["cpu"] else None for k, v in rows.items()}
    header = ["scenario", "server", "median", "unit", "min..max", "n", "cpu us/op", "vs raw", "cpu vs raw", "vs minimal"]
    table = []
    scenarios = SCENARIOS + sorted({s for s, _ in rows} - set(SCENARIOS))
    for scenario in scenarios:
        for server in SERVERS + sorted({v for _, v in rows} - set(SERVERS)):
            key = (scenario, server)
            if key not in rows:
                continue
            values = rows[key]["values"]
            base, minimal = (scenario, BASE), (scenario, MINIMAL)
            table.append([
                scenario,
                server,
                fmt(median[key]),
                rows[key]["unit"] + (" (lower=better)" if rows[key]["better"] == "lower" else ""),
                f"{fmt(min(values))}..{fmt(max(values))}",
                str(len(values)),
                fmt(cpu[key]),
                ratio(median[key], median.get(base)) if server != BASE else "1.00x",
                ratio(cpu[key], cpu.get(base)) if server != BASE and cpu[key] is not None else "-",
                ratio(median[key], median.get(minimal)) if minimal in median and server != MINIMAL else "-",
            ])
    widths = [max(len(r[i]) for r in table + [header]) for i in range(len(header))]
    right = {2, 4, 5, 6, 7, 8, 9}

    def line(cells):
        return " | ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    print(line(header))
    print("-+-".join("-" * w for w in widths))
    for r in table:
        print(line(r))
    print()
    print("median over rounds; vs raw = median / raw-kestrel median (throughput: higher is better, memory: lower is better);")
    print("cpu us/op = server CPU (utime+stime) per request / echo / delivery, per MB for stream; cpu vs raw: lower is better.")
    python_table(rows, median, cpu)
    report_fanout.fanout_table(median, cpu)
    report_issue17.issue17_tables(rows, median, cpu)


def python_table(rows, median, cpu):
    """ActorSsgi serving a Python app against the Python server people run it on, same app, same run."""
    header = ["scenario", "server", "vs", "throughput", "target", "met", "cpu us/op", "base cpu us/op", "cpu saving"]
    table = []
    for scenario in ["hello", "cpu-hello", "plaintext", "json", "ws-echo"]:
        for server, base, http_target, ws_target in PYTHON_PAIRS:
            key, base_key = (scenario, server), (scenario, base)
            if key not in rows or base_key not in rows:
                continue
            target = ws_target if scenario == "ws-echo" else http_target
            # --workers 2 is judged on the CPU-bound hello only, the other pairs on every other HTTP scenario.
            if (scenario == "cpu-hello") != (server == "actorssgi-wsgi-w2"):
                target = None
            speedup = median[key] / median[base_key] if median[base_key] else None
            saving = cpu[base_key] / cpu[key] if cpu[key] and cpu[base_key] else None
            table.append([
                scenario, server, base,
                "-" if speedup is None else f"{speedup:.2f}x",
                "-" if target is None else f">= {target:.1f}x",
                "-" if target is None or speedup is None else ("yes" if speedup >= target else "no"),
                fmt(cpu[key]), fmt(cpu[base_key]),
                "-" if saving is None else f"{saving:.2f}x",
            ])
    if not table:
        return
    widths = [max(len(r[i]) for r in table + [header]) for i in range(len(header))]
    right = {3, 4, 6, 7, 8}

    def line(cells):
        return " | ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    print()
    print("Python apps: ActorSsgi vs the Python server, same app module")
    print(line(header))
    print("-+-".join("-" * w for w in widths))
    for r in table:
        print(line(r))
    print()
    print("throughput = median / the Python server's median (higher is better; target: issue 14);")
    print("cpu saving = the Python server's cpu us/op / ActorSsgi's (higher is better: how many times less CPU per request).")


if __name__ == "__main__":
    main(sys.argv[1])
