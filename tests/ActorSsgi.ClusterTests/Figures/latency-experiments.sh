#!/usr/bin/env bash
# The experiments behind docs/cluster.md "Figures" (cross-node latency): figures-latency with one knob changed at a
# time. Each run starts fresh clusters and takes about 1.5 minutes; output goes to OUT (default /tmp/figures-latency).
# Usage, after `dotnet build tests/ActorSsgi.ClusterTests -c Release -m:1`:
#   tests/ActorSsgi.ClusterTests/Figures/latency-experiments.sh [baseline|gen0size|gcserver|nobatching|pooled] ...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$here/../bin/Release/net10.0"
out="${OUT:-/tmp/figures-latency}"
mkdir -p "$out"
run() { # name, then VAR=value settings for figures-latency
  local name="$1"; shift
  echo "== $name $(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd "$bin" && env "$@" timeout 900 dotnet ActorSsgi.ClusterTests.dll figures-latency) > "$out/$name.txt" 2>&1 || echo "$name failed (see $out/$name.txt)"
  tail -n 8 "$out/$name.txt"
}
for experiment in "${@:-baseline gen0size gcserver nobatching pooled warm3 warm0}"; do
  for e in $experiment; do
    case "$e" in
      baseline)   run baseline   FIGURES_RUNS="${RUNS:-3}" ;;
      # A 64 MiB gen0 budget: fewer, larger gen0 collections on the nodes.
      gen0size)   run gen0size   FIGURES_RUNS=1 FIGURES_NODE_ENV="DOTNET_GCgen0size=0x4000000" ;;
      # Server GC (one heap per core) instead of the demo's workstation, non-concurrent GC.
      gcserver)   run gcserver   FIGURES_RUNS=1 FIGURES_NODE_ENV="DOTNET_gcServer=1" ;;
      # DotNetty's write batching off: every remote message flushed on its own.
      nobatching) run nobatching FIGURES_RUNS=1 FIGURES_AKKA_HOCON="akka.remote.dot-netty.tcp.batching.enabled = false" ;;
      # Session actors on Akka's pooled default dispatcher instead of the inline one (ActorSsgi only).
      # (akka.hocon's own suggestion, = ${akka.actor.default-dispatcher}, fails: the file is parsed on its own.)
      pooled)     run pooled     FIGURES_RUNS=1 FIGURES_ONLY=actorssgi FIGURES_AKKA_HOCON='actorssgi.request-dispatcher.type = Dispatcher' ;;
      # A 3 s warm-up instead of 10 s: is the tail a start-up effect (first full GCs, JIT tiering)?
      warm3)      run warm3      FIGURES_RUNS=1 FIGURES_WARMUP=3 ;;
      # No warm-up at all: what the plain `figures` mode measures (LatencyProbe right after the cluster formed).
      warm0)      run warm0      FIGURES_RUNS=1 FIGURES_WARMUP=0 ;;
      *) echo "unknown experiment $e" >&2; exit 2 ;;
    esac
  done
done
