# Building, starting, probing and stopping the servers under test. Sourced by run.sh.
# Requires: BENCH_DIR, REPO_ROOT, OUT_DIR, LOG_DIR, STATIC_DIR, GC_ENV (array), PIN_SERVER (array).
PHASE_ARGS=() PHASE_ENV=() PHASE_DLL=""

CLI_PROJECT="$REPO_ROOT/src/ActorSsgi.Cli/ActorSsgi.Cli.csproj" # the actorssgi command, as Python users run it
PYTHON_APPS="$BENCH_DIR/python" # bench_*.py: the same app module for the Python server and for ActorSsgi

declare -A SERVER_PROJECT=(
  [raw-kestrel]="$BENCH_DIR/Baselines/RawKestrel/RawKestrel.csproj"
  # The same process; its fan-out row uses /ws/chat-concurrent (per-member bounded queues; see FANOUT_PATH).
  [raw-kestrel-concurrent]="$BENCH_DIR/Baselines/RawKestrel/RawKestrel.csproj"
  [minimal-api]="$BENCH_DIR/Baselines/MinimalApi/MinimalApi.csproj"
  [actorssgi]="$REPO_ROOT/src/ActorSsgi.Demo/ActorSsgi.Demo.csproj"
  # The same demo with a metrics listener attached (OpenTelemetry's Prometheus exporter): the A/B for metrics cost.
  [actorssgi-metrics]="$REPO_ROOT/src/ActorSsgi.Demo/ActorSsgi.Demo.csproj"
  [actorssgi-tracing]="$REPO_ROOT/src/ActorSsgi.Demo/ActorSsgi.Demo.csproj"
  [actorssgi-accesslog]="$REPO_ROOT/src/ActorSsgi.Demo/ActorSsgi.Demo.csproj"
  [actorssgi-nostrict]="$REPO_ROOT/src/ActorSsgi.Demo/ActorSsgi.Demo.csproj"
  [aspnetcore-on-actorssgi]="$BENCH_DIR/Baselines/MinimalApi/MinimalApi.csproj"
  [aspnetcore-nostrict]="$BENCH_DIR/Baselines/MinimalApi/MinimalApi.csproj"
  # Python apps on ActorSsgi through the actorssgi command; see SERVER_PYTHON.
  [actorssgi-wsgi]="$CLI_PROJECT"
  [actorssgi-wsgi-w2]="$CLI_PROJECT"
  [actorssgi-asgi]="$CLI_PROJECT"
  [actorssgi-rsgi]="$CLI_PROJECT"
  [actorssgi-pyssgi]="$CLI_PROJECT"
)
# Extra arguments after "--urls ...". The demo caps request bodies at 30 MB by default (config/appsettings.json);
# raw Kestrel runs with no cap, so the demo gets a cap above the 1 GiB stream to compare like with like.
# Both static-file servers get the same folder (STATIC_DIR, from run.sh) under /static/.
declare -A SERVER_ARGS=(
  [actorssgi]="--ActorSsgi:Limits:MaxRequestBodySize=4294967296 --ActorSsgi:Files:Root=$STATIC_DIR"
  [actorssgi-metrics]="--ActorSsgi:Limits:MaxRequestBodySize=4294967296 --ActorSsgi:Files:Root=$STATIC_DIR --ActorSsgi:Telemetry:Prometheus:Port=$((PORT_BASE + 99))"
  # The operating features' cost, each against the plain demo: OpenTelemetry's tracer provider recording every span
  # (no exporter); the access log on with its entries filtered out by level (the formatting and the provider's
  # I/O are the logging provider's cost, not ActorSsgi's); the strict HTTP/1.1 filter off.
  [actorssgi-tracing]="--ActorSsgi:Limits:MaxRequestBodySize=4294967296 --ActorSsgi:Files:Root=$STATIC_DIR --ActorSsgi:Telemetry:Tracing:Enabled=true"
  [actorssgi-accesslog]="--ActorSsgi:Limits:MaxRequestBodySize=4294967296 --ActorSsgi:Files:Root=$STATIC_DIR --ActorSsgi:AccessLog:Enabled=true"
  [actorssgi-nostrict]="--ActorSsgi:Limits:MaxRequestBodySize=4294967296 --ActorSsgi:Files:Root=$STATIC_DIR --ActorSsgi:Limits:StrictHttp1=false"
  [minimal-api]="--static-root $STATIC_DIR"
  [aspnetcore-on-actorssgi]="--server actorssgi --static-root $STATIC_DIR"
  [aspnetcore-nostrict]="--server actorssgi --static-root $STATIC_DIR --ActorSsgi:Limits:StrictHttp1=false"
  [actorssgi-wsgi-w2]="--workers 2" # two processes on one port (SO_REUSEPORT): the --workers scaling row
)
declare -A SERVER_DLL=()
BUILT_DLL=""

# Python apps on ActorSsgi: "module:attribute interface" for the actorssgi command.
declare -A SERVER_PYTHON=(
  [actorssgi-wsgi]="bench_flask:app wsgi"
  [actorssgi-wsgi-w2]="bench_flask:app wsgi"
  [actorssgi-asgi]="bench_starlette:app asgi"
  [actorssgi-rsgi]="bench_rsgi:app rsgi"
  [actorssgi-pyssgi]="bench_ssgi:app ssgi"
)

# What Python users run today, from Debian: one process / one worker each, same app modules, no access log.
# gunicorn's sync worker is its default; uvicorn is pinned to the pure-Python stack Debian installs (asyncio loop,
# h11, python3-websockets) so "auto" cannot pick a different one from run to run. PORT is replaced at start.
declare -A NATIVE_COMMAND=(
  [gunicorn-flask]="/usr/bin/gunicorn -w 1 -k sync --bind 127.0.0.1:PORT --chdir $PYTHON_APPS --log-level warning --graceful-timeout 5 bench_flask:app"
  [uvicorn-starlette]="/usr/bin/uvicorn --workers 1 --no-access-log --log-level warning --loop asyncio --http h11 --ws websockets --host 127.0.0.1 --port PORT --app-dir $PYTHON_APPS bench_starlette:app"
)
# The Python module each native server needs, checked before the run (the Debian package that provides it).
declare -A NATIVE_NEEDS=(
  [gunicorn-flask]="flask:python3-flask"
  [uvicorn-starlette]="starlette:python3-starlette websockets:python3-websockets"
)

known_servers() { echo "${!SERVER_PROJECT[*]} ${!NATIVE_COMMAND[*]}"; }

# prepare_server NAME -> 0 when NAME can run (built, or its binary and modules present); sets SERVER_DLL[NAME].
# Prints why it cannot otherwise. A server that cannot run is skipped; the others still run.
prepare_server() {
  local name=$1 need
  if [[ -n ${NATIVE_COMMAND[$name]:-} ]]; then
    local binary=${NATIVE_COMMAND[$name]%% *}
    if [[ ! -x $binary ]]; then
      warn "SKIP $name: $binary is missing (apt-get install ${binary##*/})"
      return 1
    fi
    for need in ${NATIVE_NEEDS[$name]:-}; do
      if ! /usr/bin/python3 -c "import ${need%%:*}" 2>/dev/null; then
        warn "SKIP $name: Python module ${need%%:*} is missing (apt-get install ${need#*:})"
        return 1
      fi
    done
    return 0
  fi
  [[ -n ${SERVER_PROJECT[$name]:-} ]] || { warn "unknown server '$name' (known: $(known_servers))"; return 1; }
  build_project "$name" "${SERVER_PROJECT[$name]}" || return 1
  SERVER_DLL[$name]=$BUILT_DLL
}

declare -A BUILT_PROJECTS=()

# build_project NAME CSPROJ -> sets BUILT_DLL. Release build into OUT_DIR/build. --artifacts-path keeps bin/ and obj/ out of the project folders, so this
# never races a Debug build someone else is running in src/.
build_project() {
  local name=$1 project=$2 log="$LOG_DIR/build-$1.log"
  if [[ -n ${BUILT_PROJECTS[$project]:-} ]]; then # several servers share one project (the command, MinimalApi)
    BUILT_DLL=${BUILT_PROJECTS[$project]}
    return 0
  fi
  if [[ ! -f $project ]]; then
    warn "SKIP $name: $project does not exist"
    return 1
  fi
  log "building $name (Release)"
  if ! timeout 900 dotnet build -c Release "$project" --artifacts-path "$OUT_DIR/build" -nologo >"$log" 2>&1; then
    warn "SKIP $name: build failed; last lines of $log:"
    grep -E 'error|Error' "$log" | sort -u | tail -5 >&2
    return 1
  fi
  local assembly
  assembly=$(basename "$project" .csproj)
  local dll="$OUT_DIR/build/bin/$assembly/release/$assembly.dll"
  if [[ ! -f $dll ]]; then
    warn "SKIP $name: build succeeded but $dll is missing"
    return 1
  fi
  BUILT_DLL=$dll
  BUILT_PROJECTS[$project]=$dll
}

# start_server NAME PORT -> sets SERVER_PID. .NET servers run from their output folder so content-root files
# resolve, with GC_ENV; Python servers get the same environment and pinning (GC_ENV only sets DOTNET_ variables,
# which CPython ignores). SERVER_PID is the process the harness started: for gunicorn that is the master, whose
# worker is its child; cpu_ticks sums the whole process tree.
start_server() {
  launch_server "$1" "$2" || return 1
  wait_ready "$1" "$2" "$SERVER_PID"
}

# launch_server NAME PORT -> sets SERVER_PID without waiting for readiness (the cold-start scenario measures that).
# Per-phase additions (lib/issue17.sh), empty unless set: PHASE_ARGS (more listeners), PHASE_ENV (runtime
# settings), PHASE_DLL (another build of the same server, e.g. ReadyToRun).
launch_server() {
  local name=$1 port=$2 dll=${PHASE_DLL:-${SERVER_DLL[$1]:-}}
  local -a extra command
  read -ra extra <<<"${SERVER_ARGS[$name]:-}"
  extra+=("${PHASE_ARGS[@]}")
  if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
    warn "port $port is already in use; cannot start $name there"
    return 1
  fi
  if [[ -n ${NATIVE_COMMAND[$name]:-} ]]; then
    read -ra command <<<"${NATIVE_COMMAND[$name]//PORT/$port}"
    (cd "$PYTHON_APPS" && exec env "${GC_ENV[@]}" "${PIN_SERVER[@]}" "${command[@]}") \
      >"$LOG_DIR/server-$name-$port.log" 2>&1 &
  else
    if [[ -n ${SERVER_PYTHON[$name]:-} ]]; then
      local target=${SERVER_PYTHON[$name]%% *} interface=${SERVER_PYTHON[$name]#* }
      extra+=(--interface "$interface" --app-dir "$PYTHON_APPS" --log-level warning "$target")
    fi
    (cd "$(dirname "$dll")" && exec env "${GC_ENV[@]}" "${PHASE_ENV[@]}" "${PIN_SERVER[@]}" dotnet "$dll" --urls "http://127.0.0.1:$port" "${extra[@]}") \
      >>"$LOG_DIR/server-$name-$port.log" 2>&1 &
  fi
  SERVER_PID=$!
  own_pid "$SERVER_PID"
}

# Ready = answers any HTTP status on /plaintext within 60 s (a 404 still proves the listener is up).
wait_ready() {
  local name=$1 port=$2 pid=$3 code i
  for i in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then
      warn "$name exited during start-up; log tail:"
      tail -5 "$LOG_DIR/server-$name-$port.log" >&2
      return 1
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/plaintext")
    if [[ $code != 000 ]]; then
      return 0
    fi
    sleep 0.5
  done
  warn "$name did not answer on port $port within 60 s"
  return 1
}
