#!/usr/bin/env bash
# ActorSsgi benchmark harness: raw Kestrel vs ASP.NET Core minimal API vs the ActorSsgi demo, same machine,
# interleaved rounds, medians, server CPU from /proc. See README.md for the method.
#
#   tests/ActorSsgi.Benchmarks/run.sh [--rounds N] [--quick] [--servers raw-kestrel,raw-kestrel-concurrent,minimal-api,aspnetcore-on-actorssgi,actorssgi]
#                                     [--python]  (= --servers gunicorn-flask,actorssgi-wsgi,uvicorn-starlette,actorssgi-asgi,actorssgi-rsgi,actorssgi-pyssgi)
#                                     [--gc workstation|server|as-built] [--pin] [--port-base P]
#                                     [--only plaintext,json,hello,cpu_hello,static,ws_echo,ws_fanout,ws_idle,stream]
#                                     [--issue17]  (= --servers raw-kestrel,minimal-api,actorssgi --only plaintext,json,$ISSUE17_SCENARIOS)
#                                     [--connections 16,64,256,1024] [--coldstart-variants default,pgo-off,...] [--coldstart-seconds 15]
#   issue 17's scenarios (plaintext_np latency plaintext_sweep coldstart coldstart_tuning h2c h2tls) run only when named
#   in --only or with --issue17; see lib/issue17.sh.
#
# Everything binds to 127.0.0.1; every load run is bounded by its duration and a timeout; the servers this
# script starts are stopped on exit (EXIT trap, by PID).
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/../.." && pwd)
OUT_DIR="$BENCH_DIR/out" # ignored by tests/ActorSsgi.Benchmarks/.gitignore

ROUNDS=3
QUICK=0
SERVERS="raw-kestrel,minimal-api,aspnetcore-on-actorssgi,actorssgi"
GC_MODE=workstation
PIN=0
PORT_BASE=20000
ONLY="" # empty: every scenario
# Python apps: each Python server next to ActorSsgi serving the same module through the same interface.
PYTHON_SERVERS="gunicorn-flask,actorssgi-wsgi,actorssgi-wsgi-w2,uvicorn-starlette,actorssgi-asgi,actorssgi-rsgi,actorssgi-pyssgi"

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
# Issue 17's scenarios (lib/issue17.sh): left out of a run without --only, which stays what it was.
ISSUE17_SCENARIOS="plaintext_np,latency,plaintext_sweep,coldstart,coldstart_tuning,h2c,h2tls"
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --servers) SERVERS=$2; shift 2 ;;
    --python) SERVERS=$PYTHON_SERVERS; shift ;;
    --gc) GC_MODE=$2; shift 2 ;;
    --pin) PIN=1; shift ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --only) ONLY=",$2,"; shift 2 ;;
    --issue17) SERVERS="raw-kestrel,minimal-api,actorssgi" ONLY=",plaintext,json,$ISSUE17_SCENARIOS,"; shift ;;
    --connections) SWEEP_CONNECTIONS=$2; shift 2 ;;
    --coldstart-variants) COLDSTART_VARIANTS=$2; shift 2 ;;
    --coldstart-seconds) COLDSTART_SECONDS=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown argument: $1" >&2; usage 64 ;;
  esac
done

# Full run: 10 s measurements. Quick (smoke test): one round, 3 s measurements, same scenario sizes.
if ((QUICK)); then
  ROUNDS=1 DURATION=3 WARMUP=1 IDLE_HOLD=2
else
  DURATION=10 WARMUP=2 IDLE_HOLD=3
fi
IDLE_SESSIONS=20000
FANOUT_SESSIONS=10000
FANOUT_MESSAGES=${FANOUT_MESSAGES:-20} # environment: a longer fan-out window (steadier figures)
STREAM_BYTES=$((1024 * 1024 * 1024))
# The static scenario's files (written once per run, before any server starts): ActorSsgi serves them through
# ServeFile with ActorSsgi:Files:Root pointing here, the minimal API through UseStaticFiles on the same folder.
STATIC_DIR="$OUT_DIR/static"
STATIC_FILES="4k.bin:4096 1m.bin:1048576 1g.bin:1073741824"

source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/servers.sh"
source "$BENCH_DIR/lib/scenarios.sh"
source "$BENCH_DIR/lib/issue17.sh"

trap stop_owned EXIT
trap 'exit 130' INT TERM

# Which scenarios each server takes part in, in phases separated by "|". Each phase gets a fresh server
# process: the memory scenarios (idle sessions, streaming) must not inherit heap and pool growth from the
# throughput scenarios (after 10,000 fan-out sessions a process keeps hundreds of MB it can reuse).
# The minimal API baseline exists for the HTTP ratios only.
# Issue 17's phases come last (lib/issue17.sh): plaintext_np before latency (which takes half of raw's rate, raw
# running first in every round) and before the sweep (so the sweep meets a process past its first seconds); the
# cold-start phases start their own processes.
declare -A SERVER_PHASES=(
  [raw-kestrel]="plaintext json ws_echo ws_fanout | ws_idle | stream | plaintext_np latency plaintext_sweep | coldstart coldstart_tuning | h2c h2tls"
  [raw-kestrel-concurrent]="ws_fanout" # the concurrent fan-out baseline (Baselines/RawKestrel/ConcurrentChatRooms.cs)
  [minimal-api]="plaintext json static | plaintext_sweep"
  [aspnetcore-on-actorssgi]="plaintext json"
  [aspnetcore-nostrict]="plaintext json" # the same with the strict HTTP/1.1 filter off (its share of the gap)
  [actorssgi]="plaintext json static ws_echo ws_fanout | ws_idle | stream | plaintext_np latency plaintext_sweep | coldstart coldstart_tuning | h2c h2tls"
  # Metrics cost: run with --servers actorssgi,actorssgi-metrics --only plaintext,json (docs/operating.md).
  [actorssgi-metrics]="plaintext json"
  [actorssgi-tracing]="plaintext json"
  [actorssgi-accesslog]="plaintext json"
  [actorssgi-nostrict]="plaintext json"
  # Python apps (lib/servers.sh): HTTP for all (hello: not pipelined, see scenarios.sh; measured after plaintext and
  # json so this key WSGI figure is taken on a process whose JIT has settled); the WebSocket echo for the
  # ASGI/RSGI/ssgi ones (WSGI has none).
  [gunicorn-flask]="plaintext json hello cpu_hello"
  [actorssgi-wsgi]="plaintext json hello cpu_hello"
  [actorssgi-wsgi-w2]="plaintext json hello cpu_hello"
  [uvicorn-starlette]="plaintext json hello ws_echo"
  [actorssgi-asgi]="plaintext json hello ws_echo"
  [actorssgi-rsgi]="plaintext json hello ws_echo"
  [actorssgi-pyssgi]="plaintext json hello ws_echo"
)

# Same GC flavour for every server unless asked otherwise, so the comparison is of servers, not GC modes.
# These are .NET settings only: the Python servers (gunicorn, uvicorn) get the same environment, and CPython
# ignores DOTNET_ variables; their memory is CPython's own refcounting and cycle collector.
# The default matches src/ActorSsgi.Demo (ServerGarbageCollection=false, ConcurrentGarbageCollection=false);
# the DOTNET_ variables override each app's runtimeconfig.json (the Web SDK turns server GC on by default).
case $GC_MODE in
  workstation) GC_ENV=(DOTNET_gcServer=0 DOTNET_gcConcurrent=0) ;;
  server) GC_ENV=(DOTNET_gcServer=1 DOTNET_gcConcurrent=0) ;;
  as-built) GC_ENV=() ;;
  *) echo "--gc must be workstation, server or as-built" >&2; exit 64 ;;
esac
GC_ENV+=(DOTNET_CLI_TELEMETRY_OPTOUT=1)

# --pin: server on CPU 0, load generators on the other CPUs, so they do not steal each other's time slices.
if ((PIN)); then
  PIN_SERVER=(taskset -c 0)
  PIN_LOAD=(taskset -c "1-$(($(nproc) - 1))")
else
  PIN_SERVER=()
  PIN_LOAD=()
fi

# --- prerequisites ------------------------------------------------------------------------------------------
for tool in curl ss awk taskset; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done
if ! command -v wrk >/dev/null; then
  log "installing wrk (apt-get)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >/dev/null 2>&1; then
    echo "wrk is missing and could not be installed with apt-get" >&2
    exit 1
  fi
fi

# Sessions need descriptors in the client and the server (children inherit this limit). The client side is
# spread over several processes; the server holds every idle session itself, so IDLE_SESSIONS must fit in one
# process's limit beside the server's own few hundred descriptors (assemblies, pipes, epoll).
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
NOFILE=$(ulimit -n)
if ((FANOUT_SESSIONS > NOFILE - 1000)); then
  warn "open-file limit is $NOFILE (hard limit $(ulimit -Hn)); lowering FANOUT_SESSIONS from $FANOUT_SESSIONS to $((NOFILE - 1000))"
  FANOUT_SESSIONS=$((NOFILE - 1000))
fi
if ((IDLE_SESSIONS > NOFILE - 400)); then
  warn "open-file limit is $NOFILE (hard limit $(ulimit -Hn)); the server cannot hold $IDLE_SESSIONS sessions, lowering IDLE_SESSIONS to $((NOFILE - 400))"
  IDLE_SESSIONS=$((NOFILE - 400))
fi
IDLE_CLIENTS=$(( (IDLE_SESSIONS + NOFILE - 1001) / (NOFILE - 1000) ))
CLK_TCK=$(getconf CLK_TCK)

mkdir -p "$STATIC_DIR"
for entry in $STATIC_FILES; do
  # Random bytes for the small files; the 1 GiB one is sparse (its pages come from the page cache either way, and
  # random data would take longer to write than the scenario runs).
  if ((${entry#*:} > 64 * 1024 * 1024)); then
    truncate -s "${entry#*:}" "$STATIC_DIR/${entry%%:*}"
  else
    head -c "${entry#*:}" /dev/urandom >"$STATIC_DIR/${entry%%:*}"
  fi
done

STAMP=$(date +%Y%m%d-%H%M%S)
RUN_DIR="$OUT_DIR/results/$STAMP"
LOG_DIR="$RUN_DIR/logs"
RESULTS="$RUN_DIR/results.tsv"
mkdir -p "$LOG_DIR"
: >"$RESULTS"

# --- build --------------------------------------------------------------------------------------------------
if ! build_project loadclient "$BENCH_DIR/LoadClient/LoadClient.csproj"; then
  echo "the load client must build; see $LOG_DIR/build-loadclient.log" >&2
  exit 1
fi
LOADCLIENT_DLL=$BUILT_DLL

declare -a ACTIVE=()
IFS=, read -ra REQUESTED <<<"$SERVERS"
for name in "${REQUESTED[@]}"; do
  if prepare_server "$name"; then
    ACTIVE+=("$name")
  fi
done
((${#ACTIVE[@]})) || { echo "no server built; nothing to measure" >&2; exit 1; }

log "servers: ${ACTIVE[*]}; rounds: $ROUNDS; ${DURATION}s per measurement; GC: $GC_MODE; pinned: $PIN; results: $RUN_DIR"

# --- rounds: every server once per round, in the same order, each phase on a fresh process and port -------
for ((round = 1; round <= ROUNDS; round++)); do
  for i in "${!ACTIVE[@]}"; do
    server=${ACTIVE[$i]}
    IFS='|' read -ra phases <<<"${SERVER_PHASES[$server]}"
    for p in "${!phases[@]}"; do
      port=$((PORT_BASE + round * 100 + i * 10 + p))
      read -ra scenarios <<<"${phases[$p]}"
      # --only: keep the asked-for scenarios; without it, all but issue 17's. A phase left empty starts no server.
      for s in "${!scenarios[@]}"; do
        if [[ -n $ONLY ]]; then
          [[ $ONLY == *",${scenarios[$s]},"* ]] || unset 'scenarios[s]'
        elif [[ ",$ISSUE17_SCENARIOS," == *",${scenarios[$s]},"* ]]; then
          unset 'scenarios[s]'
        fi
      done
      scenarios=("${scenarios[@]}")
      ((${#scenarios[@]})) || continue
      if [[ $SELF_STARTING_SCENARIOS == *" ${scenarios[0]} "* ]]; then
        # Cold start: the scenario spawns (and stops) its own fresh processes on this port, with no extra listeners.
        PHASE_ARGS=()
        log "round $round/$ROUNDS: $server, fresh processes on 127.0.0.1:$port (${scenarios[*]})"
        for scenario in "${scenarios[@]}"; do
          log "  $scenario"
          "scenario_$scenario" "$server" "$port" "" "$round"
        done
        continue
      fi
      if ! phase_setup "$server" "$port" "${scenarios[@]}"; then
        fail "${scenarios[0]}" "$server" "$round" "phase set-up failed"
        continue
      fi
      log "round $round/$ROUNDS: $server on 127.0.0.1:$port (${scenarios[*]})"
      if ! start_server "$server" "$port"; then
        fail start "$server" "$round" "server did not start (log: $LOG_DIR/server-$server-$port.log)"
        stop_owned
        continue
      fi
      for scenario in "${scenarios[@]}"; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
          fail "$scenario" "$server" "$round" "server process exited (log: $LOG_DIR/server-$server-$port.log)"
          break
        fi
        log "  $scenario"
        "scenario_$scenario" "$server" "$port" "$SERVER_PID" "$round"
      done
      stop_owned
    done
  done
done

# --- report -------------------------------------------------------------------------------------------------
echo
if [[ -s $RESULTS ]]; then
  /usr/bin/python3 "$BENCH_DIR/lib/report.py" "$RESULTS" | tee "$RUN_DIR/table.txt"
else
  echo "no results recorded"
fi
if ((${#SKIPS[@]})); then
  echo
  echo "skipped (not failures: the server or build lacks the feature):"
  printf '  %s\n' "${SKIPS[@]}"
fi
if ((${#FAILURES[@]})); then
  echo
  echo "failures:"
  printf '  %s\n' "${FAILURES[@]}"
fi
echo
echo "raw results and logs: $RUN_DIR"
((${#FAILURES[@]} == 0))
