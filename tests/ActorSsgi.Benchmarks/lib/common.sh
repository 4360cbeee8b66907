# Shared helpers for run.sh: logging, /proc probes, arithmetic, background-process bookkeeping.
# Sourced, not executed.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
warn() { log "WARNING: $*"; }

# PID and all its descendants (from /proc/PID/task/*/children), parents first.
process_tree() {
  local pid=$1 child
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    process_tree "$child"
  done
}

# utime + stime (fields 14 and 15 of /proc/PID/stat) of one process, in clock ticks.
# Field 2 is "(comm)" and may contain spaces, so fields are counted after the last ") ".
process_ticks() {
  local stat
  stat=$(<"/proc/$1/stat") || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat # now $1 is field 3, so field 14 is $12 and field 15 is $13
  echo $(( ${12} + ${13} ))
}

# Server CPU time so far, in clock ticks: the process and its descendants (gunicorn's work is done by its worker,
# a child of the master the harness started; a .NET server or uvicorn --workers 1 is a single process). A child
# that exits between two readings would take its ticks with it, so the servers run no recycling workers.
cpu_ticks() {
  local pid total=0 ticks
  [[ -r /proc/$1/stat ]] || return 1
  for pid in $(process_tree "$1"); do
    ticks=$(process_ticks "$pid" 2>/dev/null) && total=$((total + ticks))
  done
  echo "$total"
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

# Stops PID, then any of its descendants still alive (by their PIDs, read before the stop): SIGTERM, SIGKILL
# after 10 s. A gunicorn master stops its worker itself; the sweep covers a master that had to be killed.
stop_pid() {
  local pid=$1 i child
  local -a children=()
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  mapfile -t children < <(process_tree "$pid" | tail -n +2)
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
  for child in "${children[@]}"; do
    [[ -r /proc/$child/stat ]] || continue
    warn "PID $child (child of $pid) outlived it; stopping it"
    kill -TERM "$child" 2>/dev/null
    for i in $(seq 1 50); do
      [[ -r /proc/$child/stat ]] || break
      sleep 0.1
    done
    kill -KILL "$child" 2>/dev/null
  done
  return 0
}

stop_owned() {
  local pid
  for pid in "${OWNED_PIDS[@]}"; do
    stop_pid "$pid"
  done
  OWNED_PIDS=()
}
