"""The fan-out table, printed by report.py when the run has ws-fanout rows for ActorSsgi and the concurrent baseline.

Issue 17's fan-out target is ActorSsgi >= 1.0x the concurrent raw-Kestrel chat (raw-kestrel-concurrent: per-member
bounded queues, one writer loop per socket), at bounded memory. The sequential raw-kestrel chat is shown for scale.
Every ratio is a median over the concurrent baseline's median from the same run.
"""

from report_issue17 import _num, _table

BASE = "raw-kestrel-concurrent"
SERVERS = ["raw-kestrel", "actorssgi"]
TARGET = 1.0


def _rx(a, b):
    return "-" if a is None or not b else f"{a / b:.2f}x"


def fanout_table(median, cpu):
    """ActorSsgi's (and the sequential baseline's) deliveries/s, CPU per delivery and peak RSS over the concurrent baseline's."""
    if ("ws-fanout", BASE) not in median:
        return
    header = ["server", "deliveries/s", "vs concurrent", "cpu us/delivery", "cpu vs concurrent",
              "peak RSS MiB", "RSS vs concurrent", "target", "met"]
    rows = []
    for server in [BASE] + SERVERS:
        if ("ws-fanout", server) not in median:
            continue
        d, c = median[("ws-fanout", server)], cpu.get(("ws-fanout", server))
        rss = median.get(("ws-fanout-peak-rss", server))
        judged = server == "actorssgi"
        ratio = d / median[("ws-fanout", BASE)] if median[("ws-fanout", BASE)] else None
        rows.append([
            server, _num(d), _rx(d, median[("ws-fanout", BASE)]),
            _num(c), _rx(c, cpu.get(("ws-fanout", BASE))),
            _num(rss), _rx(rss, median.get(("ws-fanout-peak-rss", BASE))),
            f">= {TARGET:.1f}x" if judged else "-",
            ("yes" if ratio is not None and ratio >= TARGET else "no") if judged else "-",
        ])
    _table("Fan-out: against the concurrent raw-Kestrel chat (raw-kestrel-concurrent, /ws/chat-concurrent)", header, rows, [
        "vs concurrent = median / raw-kestrel-concurrent's median, same run (deliveries: higher is better; cpu and RSS:",
        "lower is better). Peak RSS = the server's VmHWM over the scenario, reset before the sessions open.",
    ], left=1)
