#!/usr/bin/env bash
# Http11Probe (github.com/MDA2AV/Http11Probe, RFC 9110/9112 compliance) against ActorSsgi and against the probe's own
# AspNetMinimal server, in one run, with a side-by-side table (docs/http11-strict.md).
#
# usage: tests/ActorSsgi.Benchmarks/http11probe.sh PROBE_CHECKOUT
#   PROBE_CHECKOUT  a clone of the probe; this script fetches nothing: git clone https://github.com/MDA2AV/Http11Probe
#                   /tmp/http11probe (never inside this repository). It is copied to $OUT_DIR and built there.
# environment:
#   ACTOR_PORT, ASP_PORT   ports on 127.0.0.1 (default 18480, 18481)
#   ACTOR_ARGS             extra ActorSsgi arguments, e.g. --ActorSsgi:Limits:StrictHttp1=false for Kestrel's behaviour
#   OUT_DIR                build output, logs and JSON reports (default /tmp/http11probe-run)
#   PROBE_TIMEOUT          the probe's per-test timeout in seconds (default 5)
set -euo pipefail

PROBE=${1:?usage: $0 PROBE_CHECKOUT (git clone https://github.com/MDA2AV/Http11Probe /tmp/http11probe)}
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ACTOR_PORT=${ACTOR_PORT:-18480}
ASP_PORT=${ASP_PORT:-18481}
OUT_DIR=${OUT_DIR:-/tmp/http11probe-run}
PROBE_TIMEOUT=${PROBE_TIMEOUT:-5}
read -r -a ACTOR_EXTRA <<<"${ACTOR_ARGS:-}"
mkdir -p "$OUT_DIR"

echo "== copying and building the probe ($PROBE)"
rm -rf "$OUT_DIR/probe-src"
mkdir -p "$OUT_DIR/probe-src"
(cd "$PROBE" && tar --exclude=bin --exclude=obj --exclude=.git -cf - .) | (cd "$OUT_DIR/probe-src" && tar -xf -)
# The probe pins System.CommandLine 2.0.0-beta5, whose CommandLineConfiguration 2.0.0 (what a mirror without the
# beta resolves) no longer has; Parse(args).InvokeAsync() is the same call in both.
sed -i 's/^var config = new CommandLineConfiguration(rootCommand);$/var parsed = rootCommand.Parse(args);/; s/^return await config.InvokeAsync(args);$/return await parsed.InvokeAsync();/' \
  "$OUT_DIR/probe-src/src/Http11Probe.Cli/Program.cs"
build() { timeout 900 dotnet build -c Release "$1" -o "$2" -nologo >"$OUT_DIR/build-$(basename "$2").log" 2>&1 || { tail -n 20 "$OUT_DIR/build-$(basename "$2").log"; exit 1; }; }
build "$OUT_DIR/probe-src/src/Http11Probe.Cli" "$OUT_DIR/bin/probe"
build "$OUT_DIR/probe-src/src/Servers/AspNetMinimal" "$OUT_DIR/bin/aspnet"
echo "== building the SSGI probe app"
build "$BENCH_DIR/Http11Probe/ProbeApp.csproj" "$OUT_DIR/bin/actorssgi"

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_ready() { # bounded: 60 s
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null && return 0; sleep 0.5; done
  echo "server on port $1 did not start"; exit 1
}

# AspNetMinimal calls UseUrls("http://+:8080"); Kestrel endpoints from configuration override it.
(cd "$OUT_DIR/bin/aspnet" && exec dotnet AspNetMinimal.dll --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$ASP_PORT") >"$OUT_DIR/aspnet.log" 2>&1 &
PIDS+=($!)
(cd "$OUT_DIR/bin/actorssgi" && exec dotnet ProbeApp.dll --urls "http://127.0.0.1:$ACTOR_PORT" "${ACTOR_EXTRA[@]}") >"$OUT_DIR/actorssgi.log" 2>&1 &
PIDS+=($!)
wait_ready "$ASP_PORT"
wait_ready "$ACTOR_PORT"

# One after the other, so neither probe's timing tests share the machine with the other.
for target in actorssgi:$ACTOR_PORT aspnet:$ASP_PORT; do
  name=${target%%:*}
  echo "== probing $name"
  timeout 900 dotnet "$OUT_DIR/bin/probe/Http11Probe.Cli.dll" --host 127.0.0.1 --port "${target##*:}" --timeout "$PROBE_TIMEOUT" \
    --output "$OUT_DIR/$name.json" >"$OUT_DIR/$name.txt" 2>&1 || true
  grep -E "Score:" "$OUT_DIR/$name.txt" || { tail -n 20 "$OUT_DIR/$name.txt"; exit 1; }
done

python3 "$BENCH_DIR/lib/http11probe_table.py" "ActorSsgi=$OUT_DIR/actorssgi.json" "AspNetMinimal=$OUT_DIR/aspnet.json"
