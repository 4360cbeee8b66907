# Shared helpers for run.sh: logging, /proc probes, arithmetic, background-process bookkeeping.
# Sourced, not executed.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
warn() { log "WARNING: $*"; }

# Server CPU time so far: utime + stime (fields 14 and 15 of /proc/PID/stat), in clock ticks.
# Field 2 is "(comm)" and may contain spaces, so fields are counted after the last ") ".
cpu_ticks() {
  local stat
  stat=$(<"/proc/$1/stat") || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat # now $1 is field 3, so field 14 is $12 and field 15 is $13
  echo $(( ${12} + ${13} ))
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Floating-point arithmetic without bc: calc 'ticks / hz * 1e6 / ops' ticks=12 hz=100 ops=3000
calc() {
  local expr=$1 arg
  shift
  local -a vars=()
  for arg in "$@"; do vars+=(-v "$arg"); done
  awk "${vars[@]}" "BEGIN { printf \"%.3f\", $expr }"
}

# "key=value" lines (LoadClient output) -> value of one key.
kv() { awk -F= -v k="$1" '$1 == k { print $2; exit }' "$2"; }

# Background processes this script started; the EXIT trap ends exactly these, by PID.
declare -a OWNED_PIDS=()

own_pid() { OWNED_PIDS+=("$1"); }

stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 100); do # up to 10 s for a graceful stop
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "PID $pid ignored SIGTERM for 10 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  return 0
}

stop_owned() {
  local pid
  for pid in "${OWNED_PIDS[@]}"; do
    stop_pid "$pid"
  done
  OWNED_PIDS=()
}
