# Building, starting, probing and stopping the servers under test. Sourced by run.sh.
# Requires: BENCH_DIR, REPO_ROOT, OUT_DIR, LOG_DIR, STATIC_DIR, GC_ENV (array), PIN_SERVER (array).

declare -A SERVER_PROJECT=(
  [raw-kestrel]="$BENCH_DIR/Baselines/RawKestrel/RawKestrel.csproj"
  [minimal-api]="$BENCH_DIR/Baselines/MinimalApi/MinimalApi.csproj"
  [actorssgi]="$REPO_ROOT/src/ActorSsgi.Demo/ActorSsgi.Demo.csproj"
  [aspnetcore-on-actorssgi]="$BENCH_DIR/Baselines/MinimalApi/MinimalApi.csproj"
)
# Extra arguments after "--urls ...". The demo caps request bodies at 30 MB by default (config/appsettings.json);
# raw Kestrel runs with no cap, so the demo gets a cap above the 1 GiB stream to compare like with like.
# Both static-file servers get the same folder (STATIC_DIR, from run.sh) under /static/.
declare -A SERVER_ARGS=(
  [actorssgi]="--ActorSsgi:Limits:MaxRequestBodySize=4294967296 --ActorSsgi:Files:Root=$STATIC_DIR"
  [minimal-api]="--static-root $STATIC_DIR"
  [aspnetcore-on-actorssgi]="--server actorssgi --static-root $STATIC_DIR"
)
declare -A SERVER_DLL=()
BUILT_DLL=""

# build_project NAME CSPROJ -> sets BUILT_DLL. Release build into OUT_DIR/build. --artifacts-path keeps bin/ and obj/ out of the project folders, so this
# never races a Debug build someone else is running in src/.
build_project() {
  local name=$1 project=$2 log="$LOG_DIR/build-$1.log"
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
}

# start_server NAME PORT -> sets SERVER_PID. Runs from the output folder so content-root files resolve.
start_server() {
  local name=$1 port=$2 dll=${SERVER_DLL[$1]}
  local -a extra
  read -ra extra <<<"${SERVER_ARGS[$name]:-}"
  if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
    warn "port $port is already in use; cannot start $name there"
    return 1
  fi
  (cd "$(dirname "$dll")" && exec env "${GC_ENV[@]}" "${PIN_SERVER[@]}" dotnet "$dll" --urls "http://127.0.0.1:$port" "${extra[@]}") \
    >"$LOG_DIR/server-$name-$port.log" 2>&1 &
  SERVER_PID=$!
  own_pid "$SERVER_PID"
  wait_ready "$name" "$port" "$SERVER_PID"
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
