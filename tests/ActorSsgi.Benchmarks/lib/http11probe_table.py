"""Side-by-side table of two Http11Probe JSON reports (http11probe.sh): per-test verdicts, then the scored totals.

usage: http11probe_table.py NAME=report.json NAME=report.json
Verdicts rank Pass > Warn > Fail; a test where the first server ranks below the second is marked WORSE.
"""
import json
import sys

RANK = {"Pass": 2, "Warn": 1, "Fail": 0}


def load(arg):
    name, path = arg.split("=", 1)
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    return name, {r["id"]: r for r in report["results"]}


def main():
    (a, ra), (b, rb) = (load(x) for x in sys.argv[1:3])
    ids = sorted(set(ra) | set(rb))
    print(f"| Test | Scored | {a} | {b} |")
    print("|---|---|---|---|")
    worse = []
    for test in ids:
        x, y = ra.get(test, {}), rb.get(test, {})
        scored = x.get("scored", y.get("scored", False))
        vx, vy = x.get("verdict", "-"), y.get("verdict", "-")
        mark = ""
        if scored and RANK.get(vx, 0) < RANK.get(vy, 0):
            worse.append(test)
            mark = " **WORSE**"
        if vx != vy or vx != "Pass":
            print(f"| {test} | {'yes' if scored else 'no'} | {vx} ({x.get('statusCode', '-')}){mark} | {vy} ({y.get('statusCode', '-')}) |")
    for name, r in ((a, ra), (b, rb)):
        scored = [t for t in r.values() if t.get("scored")]
        passed = sum(1 for t in scored if t["verdict"] in ("Pass", "Warn"))
        warns = sum(1 for t in scored if t["verdict"] == "Warn")
        print(f"\n{name}: {passed}/{len(scored)} scored ({warns} warnings), {len(r)} tests")
    print(f"\ntests where {a} does worse than {b}: {len(worse)} {' '.join(worse)}")
    print("(the table lists every test that is not a Pass on both)")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
