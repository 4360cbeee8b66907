# One function per scenario. Each runs against an already-started server and appends rows to $RESULTS:
#   round  scenario  server  value  unit  cpu_us_per_op|-  better(higher|lower)
# Sourced by run.sh. Requires: RESULTS, LOG_DIR, BENCH_DIR, CLK_TCK, DURATION, WARMUP, IDLE_SESSIONS,
# IDLE_HOLD, FANOUT_SESSIONS, FANOUT_MESSAGES, STREAM_BYTES, STATIC_FILES, LOADCLIENT_DLL, PIN_LOAD (array).

declare -a FAILURES=()
declare -a SKIPS=()

# The client's own one-line summary ("loadclient: ..."), not the tail of a stack trace.
first_error() { { grep -m1 "^loadclient:" "$1" || head -1 "$1"; } | cut -c1-240; }

record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

fail() { # fail SCENARIO SERVER ROUND DETAIL
  warn "FAIL $1 on $2 (round $3): $4"
  FAILURES+=("$1 on $2 (round $3): $4")
}

skip() { # skip SCENARIO SERVER ROUND DETAIL: the server lacks the feature; reported, not a failure
  warn "SKIP $1 on $2 (round $3): $4"
  SKIPS+=("$1 on $2 (round $3): $4")
}

# websocket_status PORT PATH -> the HTTP status a WebSocket upgrade request gets (101 when the server accepts).
# curl does not speak WebSocket: it sends the handshake, prints the status and gives up after a second.
websocket_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 1 --http1.1 \
    -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "http://127.0.0.1:$1$2"
}

loadclient() { # loadclient TIMEOUT_SECONDS MODE ARGS... ; the client also stops itself at TIMEOUT_SECONDS
  local limit=$1
  shift
  timeout "$((limit + 30))" "${PIN_LOAD[@]}" dotnet "$LOADCLIENT_DLL" "$@" --timeout-seconds "$limit"
}

# wrk_measured OUTFILE PID WRK_ARGS... -> sets WRK_REQUESTS, WRK_RPS, WRK_CPU_US (server CPU per request).
# WRK_THREADS (default 1): wrk's -t, for the scenarios that need more than one thread.
wrk_measured() {
  local out=$1 pid=$2 before after non2xx
  shift 2
  before=$(cpu_ticks "$pid")
  timeout "$((DURATION + 30))" "${PIN_LOAD[@]}" wrk -t"${WRK_THREADS:-1}" -d"${DURATION}s" "$@" >"$out" 2>&1
  after=$(cpu_ticks "$pid")
  WRK_REQUESTS=$(awk '/ requests in / { print $1; exit }' "$out")
  WRK_RPS=$(awk '/^Requests\/sec:/ { print $2; exit }' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF; exit }' "$out")
  if [[ -z $WRK_REQUESTS || -z $WRK_RPS || $WRK_REQUESTS == 0 ]]; then
    WRK_ERROR="wrk produced no result (see $out)"
    return 1
  fi
  if [[ -n $non2xx && $non2xx != 0 ]]; then
    WRK_ERROR="$non2xx non-2xx responses (see $out)"
    return 1
  fi
  if grep -q '^  Socket errors:' "$out"; then
    warn "wrk reported socket errors: $(grep '^  Socket errors:' "$out")"
  fi
  WRK_CPU_US=$(calc 't / hz * 1e6 / n' t=$((after - before)) hz="$CLK_TCK" n="$WRK_REQUESTS")
}

# Plaintext, 64 connections, 16-deep HTTP/1.1 pipelining (TechEmpower style): per-request server cost.
scenario_plaintext() {
  local server=$1 port=$2 pid=$3 round=$4 url="http://127.0.0.1:$2/plaintext"
  timeout "$((WARMUP + 30))" "${PIN_LOAD[@]}" wrk -t1 -c64 -d"${WARMUP}s" -s "$BENCH_DIR/pipeline.lua" "$url" -- 16 >/dev/null 2>&1
  if wrk_measured "$LOG_DIR/wrk-plaintext-$server-r$round.txt" "$pid" -c64 --latency -s "$BENCH_DIR/pipeline.lua" "$url" -- 16; then
    record "$round" plaintext "$server" "$WRK_RPS" req/s "$WRK_CPU_US" higher
  else
    fail plaintext "$server" "$round" "$WRK_ERROR"
  fi
}

# JSON, 256 connections, no pipelining: one request per round trip, serializer included.
scenario_json() {
  local server=$1 port=$2 pid=$3 round=$4 url="http://127.0.0.1:$2/json"
  timeout "$((WARMUP + 30))" "${PIN_LOAD[@]}" wrk -t1 -c256 -d"${WARMUP}s" "$url" >/dev/null 2>&1
  if wrk_measured "$LOG_DIR/wrk-json-$server-r$round.txt" "$pid" -c256 --latency "$url"; then
    record "$round" json "$server" "$WRK_RPS" req/s "$WRK_CPU_US" higher
  else
    fail json "$server" "$round" "$WRK_ERROR"
  fi
}

# One unpipelined GET measured with 16 connections after a warm-up: unpipelined NAME SERVER PORT PID ROUND PATH.
unpipelined() {
  local name=$1 server=$2 pid=$4 round=$5 url="http://127.0.0.1:$3$6"
  timeout "$((WARMUP + 30))" "${PIN_LOAD[@]}" wrk -t1 -c16 -d"${WARMUP}s" "$url" >/dev/null 2>&1
  if wrk_measured "$LOG_DIR/wrk-$name-$server-r$round.txt" "$pid" -c16 --latency "$url"; then
    record "$round" "$name" "$server" "$WRK_RPS" req/s "$WRK_CPU_US" higher
  else
    fail "$name" "$server" "$round" "$WRK_ERROR"
  fi
}

# Hello, no pipelining: the Python servers' figure (docs/python.md, issue 14). gunicorn's sync worker closes every
# connection after one response, so under the pipelined plaintext scenario it answers one request of each 16 sent;
# here every server gets the same one-request-per-round-trip load.
scenario_hello() { unpipelined hello "$@" /plaintext; }

# CPU-bound hello (bench_flask.py's /cpu: about 1 ms of Python per request): with the Python thread as the ceiling,
# actorssgi-wsgi-w2 against actorssgi-wsgi shows what --workers 2 buys.
scenario_cpu_hello() { unpipelined cpu-hello "$@" /cpu; }

# Static files: GET of each file in STATIC_FILES under /static/, no pipelining (64 connections for the small
# file, 16 for the large one, whose cost is bytes, not requests). Server CPU per request, so per file.
scenario_static() {
  local server=$1 port=$2 pid=$3 round=$4 entry name url conns
  for entry in $STATIC_FILES; do
    name=${entry%%:*}
    url="http://127.0.0.1:$port/static/$name"
    conns=64
    ((${entry#*:} > 65536)) && conns=16
    ((${entry#*:} > 64 * 1024 * 1024)) && conns=2 # 1 GiB: two downloads at a time, each a second or more
    timeout "$((WARMUP + 30))" "${PIN_LOAD[@]}" wrk -t1 -c"$conns" -d"${WARMUP}s" "$url" >/dev/null 2>&1
    if wrk_measured "$LOG_DIR/wrk-static-$name-$server-r$round.txt" "$pid" -c"$conns" --latency "$url"; then
      record "$round" "static-${name%.bin}" "$server" "$WRK_RPS" req/s "$WRK_CPU_US" higher
    else
      fail "static-${name%.bin}" "$server" "$round" "$WRK_ERROR"
    fi
  done
}

# WebSocket echo: 32 sessions in closed loops of 32-byte binary messages. The client samples server CPU
# itself, exactly over its measured window (after its own warm-up).
scenario_ws_echo() {
  local server=$1 port=$2 pid=$3 round=$4 out="$LOG_DIR/ws-echo-$server-r$round" status
  # A server that does not upgrade /ws/echo (ActorSsgi's asgi before its WebSocket support) is skipped, not failed.
  status=$(websocket_status "$port" /ws/echo)
  if [[ $status != 101 ]]; then
    skip ws-echo "$server" "$round" "/ws/echo answered a WebSocket upgrade with HTTP $status, not 101 (no WebSocket support in this build)"
    return 0
  fi
  if loadclient "$((DURATION + WARMUP + 60))" echo --url "ws://127.0.0.1:$port/ws/echo" --sessions 32 --size 32 \
      --seconds "$DURATION" --warmup-seconds "$WARMUP" --server-pid "$pid" >"$out.out" 2>"$out.err"; then
    record "$round" ws-echo "$server" "$(kv echoes_per_sec "$out.out")" echoes/s \
      "$(calc 't / hz * 1e6 / n' t="$(kv server_cpu_ticks "$out.out")" hz="$CLK_TCK" n="$(kv echoes "$out.out")")" higher
  else
    fail ws-echo "$server" "$round" "$(first_error "$out.err")"
  fi
}

# Idle sessions: RSS growth per open WebSocket that sends nothing. RSS is read before the sessions open and
# after a hold once all are open, so the server has finished per-session set-up. Runs on a fresh process; a
# short warm-up of 200 sessions first, so JIT-compiled code for the session path is not charged to the rest.
# The sessions are spread over IDLE_CLIENTS client processes (each holds at most its open-file limit).
scenario_ws_idle() {
  local server=$1 port=$2 pid=$3 round=$4 out="$LOG_DIR/ws-idle-$server-r$round"
  local release="$out.release" before after="" opened=0 i share waited
  local -a clients=()
  loadclient 60 idle --url "ws://127.0.0.1:$port/ws/echo" --sessions 200 --hold-seconds 0 >/dev/null 2>&1
  rm -f "$release"
  log "    $IDLE_SESSIONS sessions over $IDLE_CLIENTS client processes"
  before=$(rss_kib "$pid")
  for ((i = 0; i < IDLE_CLIENTS; i++)); do
    share=$(( IDLE_SESSIONS / IDLE_CLIENTS + (i < IDLE_SESSIONS % IDLE_CLIENTS ? 1 : 0) ))
    loadclient 300 idle --url "ws://127.0.0.1:$port/ws/echo" --sessions "$share" --hold-until-file "$release" \
      >"$out.c$i.out" 2>"$out.c$i.err" &
    clients+=($!)
    own_pid $!
  done
  # Bounded wait until every client reports its sessions open (or one of them gave up).
  for ((waited = 0; waited < 2400; waited++)); do
    opened=$(cat "$out".c*.out 2>/dev/null | awk -F= '$1 == "opened" { n += $2 } END { print n + 0 }')
    ((opened >= IDLE_SESSIONS)) && break
    for i in "${clients[@]}"; do kill -0 "$i" 2>/dev/null || break 2; done
    sleep 0.1
  done
  if ((opened >= IDLE_SESSIONS)); then
    sleep "$IDLE_HOLD"
    after=$(rss_kib "$pid")
  fi
  touch "$release"
  for i in "${clients[@]}"; do wait "$i" 2>/dev/null; done
  rm -f "$release"
  if ((opened >= IDLE_SESSIONS)) && [[ -n $after ]]; then
    record "$round" ws-idle "$server" "$(calc '(a - b) / n' a="$after" b="$before" n="$IDLE_SESSIONS")" KiB/session - lower
  else
    fail ws-idle "$server" "$round" "$opened of $IDLE_SESSIONS sessions opened; $(first_error "$out.c0.err")"
  fi
}

# Fan-out: FANOUT_SESSIONS sessions in one room, one publishes FANOUT_MESSAGES; deliveries per second, server CPU per
# delivery, and the server's peak RSS over the scenario (the client resets VmHWM before opening the sessions and
# reads it after the last delivery) and that peak minus the RSS before. Servers whose chat route is elsewhere: FANOUT_PATH.
declare -A FANOUT_PATH=([raw-kestrel-concurrent]=/ws/chat-concurrent)
scenario_ws_fanout() {
  local server=$1 port=$2 pid=$3 round=$4 out="$LOG_DIR/ws-fanout-$server-r$round" path=${FANOUT_PATH[$1]:-/ws/chat}
  if loadclient 300 fanout --url "ws://127.0.0.1:$port$path?room=bench-r$round" --sessions "$FANOUT_SESSIONS" \
      --messages "$FANOUT_MESSAGES" --server-pid "$pid" >"$out.out" 2>"$out.err"; then
    record "$round" ws-fanout "$server" "$(kv deliveries_per_sec "$out.out")" deliveries/s \
      "$(calc 't / hz * 1e6 / n' t="$(kv server_cpu_ticks "$out.out")" hz="$CLK_TCK" n="$(kv deliveries "$out.out")")" higher
    [[ $(kv server_peak_was_reset "$out.out") == true ]] || warn "ws-fanout on $server: VmHWM not reset; the peak is the process's lifetime peak"
    record "$round" ws-fanout-peak-rss "$server" "$(calc 'k / 1024' k="$(kv server_peak_rss_kib "$out.out")")" MiB - lower
    record "$round" ws-fanout-rss-growth "$server" \
      "$(calc '(p - b) / 1024' p="$(kv server_peak_rss_kib "$out.out")" b="$(kv server_rss_before_kib "$out.out")")" MiB - lower
  else
    fail ws-fanout "$server" "$round" "$(first_error "$out.err") $(grep -E '^(deliveries|expected_deliveries)=' "$out.out" | tr '\n' ' ')"
  fi
}

# Streaming: POST STREAM_BYTES to /stream and read the echo concurrently. Throughput, server CPU per MB,
# and peak RSS growth during the request (a streaming server stays flat; a buffering one grows by the body).
scenario_stream() {
  local server=$1 port=$2 pid=$3 round=$4 out="$LOG_DIR/stream-$server-r$round" before after mb
  loadclient 60 stream --url "http://127.0.0.1:$port/stream" --bytes $((64 * 1024 * 1024)) >/dev/null 2>&1 # warm-up
  before=$(cpu_ticks "$pid")
  if loadclient 300 stream --url "http://127.0.0.1:$port/stream" --bytes "$STREAM_BYTES" --server-pid "$pid" \
      >"$out.out" 2>"$out.err"; then
    after=$(cpu_ticks "$pid")
    mb=$(calc 'b / 1e6' b="$STREAM_BYTES")
    record "$round" stream "$server" "$(kv mb_per_sec "$out.out")" MB/s \
      "$(calc 't / hz * 1e6 / mb' t=$((after - before)) hz="$CLK_TCK" mb="$mb")" higher
    record "$round" stream-peak-rss "$server" "$(calc 'k / 1024' k="$(kv rss_growth_kib "$out.out")")" MiB - lower
  else
    fail stream "$server" "$round" "$(first_error "$out.err")"
  fi
}
