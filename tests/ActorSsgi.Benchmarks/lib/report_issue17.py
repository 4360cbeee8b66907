"""Issue 17's tables, printed by report.py after the main table when the run has issue 17's rows.

Every ratio is ActorSsgi (or the minimal API) over raw Kestrel, medians of the same run. Targets are issue 17's.
"""
import re

BASE = "raw-kestrel"
OTHERS = ["actorssgi", "minimal-api", "aspnetcore-on-actorssgi"]


def _table(title, header, rows, notes, left=2):
    """Prints a table: the first `left` columns left-aligned, the rest right-aligned (numbers)."""
    if not rows:
        return
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]

    def line(cells):
        return " | ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    print()
    print(title)
    print(line(header))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    for note in notes:
        print(note)


def _num(x):
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"


def _ratio(a, b):
    return None if a is None or not b else a / b


def _rx(x):
    return "-" if x is None else f"{x:.2f}x"


def _met(value, target, higher):
    if value is None or target is None:
        return "-"
    return "yes" if (value >= target if higher else value <= target) else "no"


def throughput_rows(median, cpu, scenarios, rps_target, cpu_target, label=lambda s: s):
    """Rows of req/s and CPU-per-request ratios against raw Kestrel, with the targets and whether they are met."""
    rows = []
    for scenario in scenarios:
        base = median.get((scenario, BASE))
        for server in OTHERS:
            if (scenario, server) not in median:
                continue
            r = _ratio(median[(scenario, server)], base)
            c = _ratio(cpu.get((scenario, server)), cpu.get((scenario, BASE)))
            judged = server == "actorssgi"  # the targets are ActorSsgi's
            rows.append([label(scenario), server, _num(base), _num(median[(scenario, server)]), _rx(r),
                         _rx(c), f">= {rps_target:.2f}x / <= {cpu_target:.2f}x" if judged else "-",
                         f"{_met(r, rps_target, True)} / {_met(c, cpu_target, False)}" if judged else "-"])
    return rows


def issue17_tables(rows, median, cpu):
    header = ["row", "server", "raw", "server value", "vs raw", "cpu vs raw", "target", "met"]
    keys = {s for s, _ in rows}

    sweep = sorted((s for s in keys if re.fullmatch(r"plaintext-c\d+", s)), key=lambda s: int(s[11:]))
    _table("Issue 17: plaintext, 16-deep pipelining, by connection count (req/s)", header,
           throughput_rows(median, cpu, sweep, 0.90, 1.15, lambda s: s[11:] + " connections"),
           ["cpu vs raw = server CPU per request / raw Kestrel's (lower is better)."])

    _table("Issue 17: JSON, no pipelining, 256 connections (req/s)", header,
           throughput_rows(median, cpu, ["json"], 1.0, 1.05) if "json" in keys else [], [])

    _table("Issue 17: HTTP/2, h2load 64 clients x 16 streams (req/s)", header,
           throughput_rows(median, cpu, [s for s in ["h2c", "h2tls"] if s in keys], 0.90, 1.15), [])

    latency = []
    for q in ["p50", "p90", "p99", "max"]:
        scenario = f"latency-{q}"
        base = median.get((scenario, BASE))
        for server in OTHERS:
            if (scenario, server) in median:
                r = _ratio(median[(scenario, server)], base)
                target = 1.2 if q in ("p50", "p99") and server == "actorssgi" else None
                latency.append([q, server, _num(base), _num(median[(scenario, server)]), _rx(r), "-",
                                "-" if target is None else f"<= {target:.2f}x", _met(r, target, False)])
    rate = median.get(("latency-achieved", BASE))
    _table("Issue 17: latency at a fixed rate (us, from the scheduled send; open loop)", header, latency,
           [f"rate: half of raw Kestrel's saturated unpipelined plaintext (plaintext-np) of the same round; "
            f"raw achieved {_num(rate)} req/s."] if latency else [])

    cold = []
    variants = sorted({s.split("@", 1)[1] if "@" in s else "" for s in keys if s.startswith("coldstart-")},
                      key=lambda v: (v != "", v))
    for variant in variants:
        suffix = f"@{variant}" if variant else ""
        name = variant or "default (coldstart)"
        for metric, higher, target in [("accept", False, None), ("first-second", True, 0.8), ("t90", False, 1.2),
                                       ("steady", True, None)]:
            scenario = f"coldstart-{metric}{suffix}"
            base = median.get((scenario, BASE))
            for server in OTHERS:
                if (scenario, server) in median:
                    r = _ratio(median[(scenario, server)], base)
                    t = target if server == "actorssgi" else None
                    cold.append([f"{name}: {metric}", server, _num(base), _num(median[(scenario, server)]), _rx(r), "-",
                                 "-" if t is None else (">= " if higher else "<= ") + f"{t:.2f}x", _met(r, t, higher)])
    _table("Issue 17: cold start from process spawn (LoadClient coldstart, 64 connections x 16 pipelined)", header, cold,
           ["accept: ms from spawn to the first accepted connection; first-second: responses in the second after it;",
            "t90: ms from spawn to the end of the first 500 ms window at >= 90% of steady; steady: median req/s of the",
            "last 5 s. Variants (lib/issue17.sh COLDSTART_ENV) apply to every server alike; compare a variant's",
            "figures with the default's of the same server too (the default runs again in coldstart_tuning)."]
           if cold else [])
    coldstart_variants_table(rows, median)


def coldstart_variants_table(rows, median):
    """What each cold-start variant changes for each server: its figure over the same server's @default figure."""
    keys = {s for s, _ in rows}
    variants = sorted({s.split("@", 1)[1] for s in keys if s.startswith("coldstart-") and "@" in s} - {"default"})
    header = ["variant", "server", "t90 ms", "t90 vs default", "first second", "vs default", "steady", "vs default"]
    table = []
    for variant in variants:
        for server in [BASE] + OTHERS:
            cells = [variant, server]
            for metric in ["t90", "first-second", "steady"]:
                value = median.get((f"coldstart-{metric}@{variant}", server))
                default = median.get((f"coldstart-{metric}@default", server))
                cells += [_num(value), _rx(_ratio(value, default))]
            if cells[2] != "-":
                table.append(cells)
    _table("Issue 17: cold-start variants against the default of the same server (coldstart_tuning)", header, table,
           ["t90: lower is better; first second and steady (req/s): higher is better."])
