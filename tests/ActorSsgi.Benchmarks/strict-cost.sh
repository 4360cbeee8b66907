#!/usr/bin/env bash
# Cost of ActorSsgi:Limits:StrictHttp1: server CPU per request (plaintext, pipelined) and per GiB (a chunked
# 1 GiB upload through /stream), filter on vs off, the demo alternating in one run (docs/http11-strict.md).
#
# usage: tests/ActorSsgi.Benchmarks/strict-cost.sh [ROUNDS (default 3)] [SECONDS per plaintext run (default 5)]
# environment: PORT (default 18490), DEPTH (pipeline depth, default 16), CONNECTIONS (default 64), GIB (default 1; 0 skips
#   the upload), ORDER (default "true false": the filter settings in the order each round runs them), WARMUP (seconds of
#   load before measuring, default 2)
# Servers bind 127.0.0.1 and are stopped on exit; every load run is bounded by time.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/../.." && pwd)
ROUNDS=${1:-3}
SECONDS_RUN=${2:-5}
PORT=${PORT:-18490}
DEPTH=${DEPTH:-16}
CONNECTIONS=${CONNECTIONS:-64}
GIB=${GIB:-1}
ORDER=${ORDER:-true false}
WARMUP=${WARMUP:-2}
OUT=${OUT_DIR:-/tmp/strict-cost}
mkdir -p "$OUT"

timeout 900 dotnet build -c Release "$REPO_ROOT/src/ActorSsgi.Demo/ActorSsgi.Demo.csproj" -o "$OUT/demo" -nologo >"$OUT/build.log" 2>&1 \
  || { tail -n 20 "$OUT/build.log"; exit 1; }

PID=
stop() { [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; PID=; true; }
trap stop EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)

start() {
  (cd "$OUT/demo" && exec dotnet ActorSsgi.Demo.dll --urls "http://127.0.0.1:$PORT" --Logging:LogLevel:Default=Warning \
    --ActorSsgi:Limits:MaxRequestBodySize=4294967296 --ActorSsgi:Limits:StrictHttp1="$1") >"$OUT/demo-$1.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/plaintext" 2>/dev/null && return 0; sleep 0.5; done
  echo "the demo did not start"; exit 1
}

printf '%-6s %-7s %12s %14s %14s\n' round strict req/s "CPU us/req" "CPU ms/GiB"
for round in $(seq 1 "$ROUNDS"); do
  for strict in $ORDER; do
    start "$strict"
    # warm-up (JIT, pools), not measured
    timeout 60 wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$BENCH_DIR/pipeline.lua" "http://127.0.0.1:$PORT/plaintext" -- "$DEPTH" >/dev/null 2>&1
    before=$(cpu_ticks "$PID")
    timeout $((SECONDS_RUN + 60)) wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" -s "$BENCH_DIR/pipeline.lua" "http://127.0.0.1:$PORT/plaintext" -- "$DEPTH" >"$OUT/wrk.txt" 2>&1
    after=$(cpu_ticks "$PID")
    requests=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk.txt")
    # A chunked upload (curl -T - sends stdin chunked), echoed back by /stream and discarded.
    before_stream=$(cpu_ticks "$PID")
    if ((GIB > 0)); then
      head -c $((GIB * 1024 * 1024 * 1024)) /dev/zero | timeout 300 curl -fsS -o /dev/null -T - -X POST "http://127.0.0.1:$PORT/stream"
    fi
    after_stream=$(cpu_ticks "$PID")
    awk -v r="$round" -v s="$strict" -v rps="$rps" -v n="$requests" -v c=$((after - before)) -v cs=$((after_stream - before_stream)) -v t="$TICK" -v g="$GIB" \
      'BEGIN { printf "%-6s %-7s %12s %14.3f %14.1f\n", r, s, rps, c / t * 1e6 / n, (g > 0 ? cs / t * 1e3 / g : 0) }'
    stop
  done
done
