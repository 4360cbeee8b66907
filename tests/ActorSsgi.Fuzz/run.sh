#!/usr/bin/env bash
# Fuzzes one harness with afl-fuzz for a bounded time, or replays inputs through it without AFL (docs/fuzzing.md).
#   tests/ActorSsgi.Fuzz/run.sh HARNESS SECONDS      afl-fuzz for SECONDS; exit 1 when it found a crash or hang
#   tests/ActorSsgi.Fuzz/run.sh replay HARNESS [PATH...]   the corpus (or PATHs: afl-fuzz's crashes/, one file)
# Needs afl-fuzz (Debian's afl++) and the sharpfuzz tool (dotnet tool install --global SharpFuzz.CommandLine);
# tests/run.sh installs both. FUZZ_OUT=DIR keeps afl-fuzz's output there instead of a fresh temporary folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export PATH="$PATH:$HOME/.dotnet/tools"

usage() { echo "usage: $0 HARNESS SECONDS | $0 replay HARNESS [PATH...]" >&2; exit 2; }
(($# >= 2)) || usage

dotnet build "$here/ActorSsgi.Fuzz.csproj" -c Release -nologo -v quiet >&2
bin="$here/bin/Release/net10.0"

if [[ $1 == replay ]]; then
  shift
  exec dotnet "$bin/ActorSsgi.Fuzz.dll" replay "$@"
fi

harness=$1 seconds=$2
[[ -d $here/corpus/$harness ]] || { echo "run.sh: no corpus for harness '$harness'" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "run.sh: afl-fuzz is missing (apt-get install afl++)" >&2; exit 2; }
command -v sharpfuzz >/dev/null || { echo "run.sh: the sharpfuzz tool is missing (dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/actorssgi-fuzz-$harness.XXXXXX")
out=${FUZZ_OUT:-$work/out}
# An instrumented copy: the build's own output stays as it is, so a rebuild never sees (or re-instruments) it.
cp -r "$bin" "$work/app"
sharpfuzz "$work/app/ActorSsgi.dll" >&2

dict=()
[[ -f $here/corpus/$harness.dict ]] && dict=(-x "$here/corpus/$harness.dict")
# dotnet is not an AFL-instrumented binary (SharpFuzz instruments the managed assembly), hence SKIP_BIN_CHECK; the
# machine is shared, hence no CPU pinning; a .NET start takes seconds, hence the fork-server wait.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 \
  AFL_FORKSRV_INIT_TMOUT=60000 AFL_SKIP_CRASHES=0
afl-fuzz -i "$here/corpus/$harness" -o "$out" -t 5000 -V "$seconds" "${dict[@]}" \
  -- dotnet "$work/app/ActorSsgi.Fuzz.dll" "$harness" >"$work/afl.log" 2>&1 || {
  echo "run.sh: afl-fuzz failed; its log:" >&2; tail -n 40 "$work/afl.log" >&2; exit 2; }

stats="$out/default/fuzzer_stats"
value() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(find "$out/default/crashes" -type f ! -name README.txt | wc -l)
hangs=$(find "$out/default/hangs" -type f | wc -l)
echo "fuzz $harness: $(value execs_done) executions in $(value run_time) s, $(value corpus_count) corpus entries, $crashes crashes, $hangs hangs (output: $out)"
if ((crashes + hangs > 0)); then
  echo "run.sh: replay them with: $0 replay $harness $out/default/crashes $out/default/hangs" >&2
  exit 1
fi
rm -rf "$work/app"
