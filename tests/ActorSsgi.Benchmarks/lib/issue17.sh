# Issue 17's rows: plaintext by connection count, cold start (and what changes it), fixed-rate latency, HTTP/2.
# Sourced by run.sh after scenarios.sh (it uses record, fail, skip, loadclient, wrk_measured, launch_server).
# Requires: RESULTS, RUN_DIR, LOG_DIR, OUT_DIR, BENCH_DIR, REPO_ROOT, CLK_TCK, DURATION, WARMUP, PIN_LOAD (array).

SWEEP_CONNECTIONS=${SWEEP_CONNECTIONS:-16,64,256,1024} # --connections
COLDSTART_SECONDS=${COLDSTART_SECONDS:-15}
# --coldstart-variants: runtime settings tried on a fresh process of every server (not only ActorSsgi: each is a
# setting any .NET app can use). "readytorun" runs the server from a ReadyToRun publish instead of the build.
COLDSTART_VARIANTS=${COLDSTART_VARIANTS:-default,pgo-off,quickjitforloops-off,callcounting-delay-0,tc-off,readytorun}
declare -A COLDSTART_ENV=(
  [default]=""
  [pgo-off]="DOTNET_TieredPGO=0"                       # no instrumented tier: fewer rejits, less optimised code
  [quickjitforloops-off]="DOTNET_TC_QuickJitForLoops=0" # methods with loops are jitted optimised at once (no OSR)
  [callcounting-delay-0]="DOTNET_TC_CallCountingDelayMs=0" # start counting calls at once, not after 100 ms of quiet
  [tc-off]="DOTNET_TieredCompilation=0"                 # every method jitted fully optimised on first call
  [readytorun]=""
)
LATENCY_CONNECTIONS=${LATENCY_CONNECTIONS:-64}
H2_CLIENTS=64 H2_STREAMS=16
# Scenarios that start their own server processes: run.sh starts none for a phase made of these.
SELF_STARTING_SCENARIOS=" coldstart coldstart_tuning "

# Extra ports of the HTTP/2 phase, inside the phase's block of ten (run.sh: base + round*100 + server*10 + phase).
h2c_port() { echo $(($1 + 50)); }
h2tls_port() { echo $(($1 + 60)); }

# phase_setup SERVER PORT SCENARIO... -> PHASE_ARGS: the listeners a phase's scenarios need beyond --urls.
phase_setup() {
  local server=$1 port=$2
  shift 2
  PHASE_ARGS=()
  [[ " $* " == *" h2c "* || " $* " == *" h2tls "* ]] || return 0
  tls_material || return 1
  local h2c="http://127.0.0.1:$(h2c_port "$port")" tls="https://127.0.0.1:$(h2tls_port "$port")"
  case $server in
    raw-kestrel) PHASE_ARGS=(--h2c "$h2c" --https "$tls" --cert "$TLS_CERT" --key "$TLS_KEY") ;;
    actorssgi) PHASE_ARGS=(--ActorSsgi:Endpoints:h2c:Url="$h2c" --ActorSsgi:Endpoints:h2c:Protocols=Http2
      --ActorSsgi:Endpoints:tls:Url="$tls" --ActorSsgi:Endpoints:tls:Protocols=Http1AndHttp2
      --ActorSsgi:Endpoints:tls:Certificate:Path="$TLS_CERT" --ActorSsgi:Endpoints:tls:Certificate:KeyPath="$TLS_KEY") ;;
  esac
}

# A self-signed certificate for 127.0.0.1, made once in out/tls (h2load does not verify it).
tls_material() {
  TLS_CERT="$OUT_DIR/tls/cert.pem" TLS_KEY="$OUT_DIR/tls/key.pem"
  [[ -s $TLS_CERT && -s $TLS_KEY ]] && return 0
  mkdir -p "$OUT_DIR/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$TLS_KEY" -out "$TLS_CERT" >"$LOG_DIR/openssl.log" 2>&1 ||
    { warn "openssl could not make a certificate (see $LOG_DIR/openssl.log)"; return 1; }
}

# Plaintext, 16-deep pipelining, at each of SWEEP_CONNECTIONS: one wrk thread up to 64 connections (the plaintext
# scenario's set-up), two above, where one wrk thread cannot keep 256+ sockets busy. Warm-up at each count.
scenario_plaintext_sweep() {
  local server=$1 port=$2 pid=$3 round=$4 url="http://127.0.0.1:$2/plaintext" c
  for c in ${SWEEP_CONNECTIONS//,/ }; do
    local WRK_THREADS=1
    ((c >= 256)) && WRK_THREADS=2
    timeout "$((WARMUP + 30))" "${PIN_LOAD[@]}" wrk -t"$WRK_THREADS" -c"$c" -d"${WARMUP}s" -s "$BENCH_DIR/pipeline.lua" "$url" -- 16 >/dev/null 2>&1
    if wrk_measured "$LOG_DIR/wrk-plaintext-c$c-$server-r$round.txt" "$pid" -c"$c" --latency -s "$BENCH_DIR/pipeline.lua" "$url" -- 16; then
      record "$round" "plaintext-c$c" "$server" "$WRK_RPS" req/s "$WRK_CPU_US" higher
    else
      fail "plaintext-c$c" "$server" "$round" "$WRK_ERROR"
    fi
  done
}

# Plaintext without pipelining, 64 connections: the saturated rate the latency scenario takes half of.
scenario_plaintext_np() {
  local server=$1 port=$2 pid=$3 round=$4 url="http://127.0.0.1:$2/plaintext"
  timeout "$((WARMUP + 30))" "${PIN_LOAD[@]}" wrk -t1 -c"$LATENCY_CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null 2>&1
  if wrk_measured "$LOG_DIR/wrk-plaintext-np-$server-r$round.txt" "$pid" -c"$LATENCY_CONNECTIONS" --latency "$url"; then
    record "$round" plaintext-np "$server" "$WRK_RPS" req/s "$WRK_CPU_US" higher
    [[ $server == raw-kestrel ]] && echo "$WRK_RPS" >"$RUN_DIR/raw-np-rate-r$round"
  else
    fail plaintext-np "$server" "$round" "$WRK_ERROR"
  fi
}

# Latency at a fixed rate: half of raw Kestrel's saturated plaintext-np rate from this round (raw runs first in every
# round), open loop, coordinated-omission-correct (LoadClient fixedrate). Without a raw figure in this run, half of
# the server's own rate, with a warning: such a row is not comparable.
scenario_latency() {
  local server=$1 port=$2 pid=$3 round=$4 out="$LOG_DIR/latency-$server-r$round" rate raw q
  raw=$(cat "$RUN_DIR/raw-np-rate-r$round" 2>/dev/null || cat "$RUN_DIR"/raw-np-rate-r* 2>/dev/null | head -1)
  if [[ -z $raw ]]; then
    raw=$(awk -F'\t' -v r="$round" -v s="$server" '$1 == r && $2 == "plaintext-np" && $3 == s { print $4 }' "$RESULTS" | tail -1)
    [[ -n $raw ]] || { fail latency "$server" "$round" "no plaintext-np rate to take half of (run plaintext_np first)"; return; }
    warn "latency on $server: no raw-kestrel rate in this run; using half of $server's own"
  fi
  rate=$(calc 'r / 2' r="$raw")
  log "    fixed rate $rate req/s over $LATENCY_CONNECTIONS connections"
  if loadclient "$((DURATION + WARMUP + 60))" fixedrate --url "http://127.0.0.1:$port/plaintext" --rate "$rate" \
      --connections "$LATENCY_CONNECTIONS" --seconds "$DURATION" --warmup-seconds "$WARMUP" >"$out.out" 2>"$out.err"; then
    for q in p50 p90 p99 max; do
      record "$round" "latency-$q" "$server" "$(kv "${q}_us" "$out.out")" us - lower
    done
    record "$round" latency-service-p50 "$server" "$(kv service_p50_us "$out.out")" us - lower
    record "$round" latency-achieved "$server" "$(kv achieved_rps "$out.out")" req/s - higher
  else
    fail latency "$server" "$round" "$(first_error "$out.err") $(grep -E '^(missing|non2xx|achieved_rps)=' "$out.out" | tr '\n' ' ')"
  fi
}

# h2load_measured NAME SERVER PID ROUND URL: an unmeasured h2load run of WARMUP s, then DURATION s measured with the
# server's CPU read around it. Records NAME (req/s, server CPU per request).
h2load_measured() {
  local name=$1 server=$2 pid=$3 round=$4 url=$5 out="$LOG_DIR/h2load-$1-$2-r$4.txt" before after done rps failed
  command -v h2load >/dev/null || { skip "$name" "$server" "$round" "h2load missing (apt-get install nghttp2-client)"; return; }
  timeout "$((WARMUP + 30))" "${PIN_LOAD[@]}" h2load -t1 -c"$H2_CLIENTS" -m"$H2_STREAMS" -D "$WARMUP" "$url" >/dev/null 2>&1
  before=$(cpu_ticks "$pid")
  timeout "$((DURATION + 30))" "${PIN_LOAD[@]}" h2load -t1 -c"$H2_CLIENTS" -m"$H2_STREAMS" -D "$DURATION" "$url" >"$out" 2>&1
  after=$(cpu_ticks "$pid")
  rps=$(awk '/^finished in/ { gsub(",", "", $4); print $4; exit }' "$out")
  done=$(awk '/^requests:/ { print $8; exit }' "$out")
  failed=$(awk '/^requests:/ { print $10 + $12; exit }' "$out")
  if [[ -z $done || $done == 0 ]]; then
    fail "$name" "$server" "$round" "h2load completed no request (see $out)"
  elif ! grep -Eq '^Application protocol: h2c?$' "$out"; then # h2c: cleartext, prior knowledge
    fail "$name" "$server" "$round" "not HTTP/2: $(grep '^Application protocol' "$out") (see $out)"
  elif [[ $failed != 0 ]]; then
    fail "$name" "$server" "$round" "$failed failed or errored requests (see $out)"
  else
    record "$round" "$name" "$server" "$rps" req/s "$(calc 't / hz * 1e6 / n' t=$((after - before)) hz="$CLK_TCK" n="$done")" higher
  fi
}

# HTTP/2 cleartext with prior knowledge (no upgrade) and HTTP/2 over TLS (ALPN), 64 clients x 16 streams each.
scenario_h2c() { h2load_measured h2c "$1" "$3" "$4" "http://127.0.0.1:$(h2c_port "$2")/plaintext"; }
scenario_h2tls() { h2load_measured h2tls "$1" "$3" "$4" "https://127.0.0.1:$(h2tls_port "$2")/plaintext"; }

# Cold start, default runtime settings: scenario name "coldstart".
scenario_coldstart() { coldstart_run "$1" "$2" "$4" default ""; }

# The same for each of COLDSTART_VARIANTS, rows named coldstart-METRIC@VARIANT ("@default" again, so a variant is
# compared with a default measured in the same phase).
scenario_coldstart_tuning() {
  local variant
  for variant in ${COLDSTART_VARIANTS//,/ }; do
    [[ -n ${COLDSTART_ENV[$variant]+set} ]] || { fail coldstart_tuning "$1" "$4" "unknown variant $variant (known: ${!COLDSTART_ENV[*]})"; continue; }
    coldstart_run "$1" "$2" "$4" "$variant" "@$variant"
  done
}

# coldstart_run SERVER PORT ROUND VARIANT SUFFIX: the load client starts first (warming itself), then the server is spawned
# with its time taken from $EPOCHREALTIME just before the fork; the client hammers as soon as the port accepts.
coldstart_run() {
  local server=$1 port=$2 round=$3 variant=$4 suffix=$5 out waited tag=${5#@}
  out="$LOG_DIR/coldstart-$server-${tag:-main}-r$round" # "main": the coldstart scenario; else the variant
  if [[ $variant == readytorun ]] && ! publish_readytorun "$server"; then
    fail "coldstart$suffix" "$server" "$round" "ReadyToRun publish failed (see $LOG_DIR/publish-r2r-$server.log)"
    return
  fi
  rm -f "$out.ready" "$out.spawn"
  loadclient "$((COLDSTART_SECONDS + 60))" coldstart --port "$port" --seconds "$COLDSTART_SECONDS" \
    --ready-file "$out.ready" --spawn-file "$out.spawn" >"$out.out" 2>"$out.err" &
  local client=$!
  own_pid "$client"
  for ((waited = 0; waited < 300; waited++)); do # up to 30 s for the client's own warm-up
    [[ -s $out.ready ]] && break
    kill -0 "$client" 2>/dev/null || break
    sleep 0.1
  done
  if [[ ! -s $out.ready ]]; then
    fail "coldstart$suffix" "$server" "$round" "load client not ready: $(first_error "$out.err")"
    return
  fi
  local -a PHASE_ENV=()
  read -ra PHASE_ENV <<<"${COLDSTART_ENV[$variant]:-}"
  local PHASE_DLL=""
  [[ $variant == readytorun ]] && PHASE_DLL=${R2R_DLL[$server]}
  local spawn=${EPOCHREALTIME/./}
  echo "${spawn}000" >"$out.spawn.tmp" && mv "$out.spawn.tmp" "$out.spawn"
  if ! launch_server "$server" "$port"; then
    fail "coldstart$suffix" "$server" "$round" "server did not start"
    kill "$client" 2>/dev/null
    return
  fi
  wait "$client"
  local rc=$?
  stop_owned
  if ((rc == 0)); then
    record "$round" "coldstart-accept$suffix" "$server" "$(kv accept_ms "$out.out")" ms - lower
    record "$round" "coldstart-first-second$suffix" "$server" "$(kv first_second_rps "$out.out")" req/s - higher
    record "$round" "coldstart-t90$suffix" "$server" "$(kv t90_ms "$out.out")" ms - lower
    record "$round" "coldstart-steady$suffix" "$server" "$(kv steady_rps "$out.out")" req/s - higher
  else
    fail "coldstart$suffix" "$server" "$round" "$(first_error "$out.err") $(grep -E '^(t90_ms|non2xx|per_second)=' "$out.out" | tr '\n' ' ')"
  fi
}

declare -A R2R_DLL=()

# publish_readytorun SERVER -> sets R2R_DLL[SERVER], the ReadyToRun-compiled DLL (dotnet publish -r linux-x64,
# framework-dependent, -p:PublishReadyToRun=true), published once per run into out/r2r.
publish_readytorun() {
  local server=$1 project=${SERVER_PROJECT[$1]} assembly
  [[ -n ${R2R_DLL[$server]:-} ]] && return 0
  assembly=$(basename "$project" .csproj)
  log "    publishing $server with ReadyToRun"
  timeout 900 dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true "$project" \
    --artifacts-path "$OUT_DIR/r2r" -nologo >"$LOG_DIR/publish-r2r-$server.log" 2>&1 || return 1
  local dll="$OUT_DIR/r2r/publish/$assembly/release_linux-x64/$assembly.dll"
  [[ -f $dll ]] || return 1
  R2R_DLL[$server]=$dll
}
