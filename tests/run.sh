#!/usr/bin/env bash
# The README's test command: installs the Debian packages the tests drive (a real browser and an independent
# WebSocket client) when they are missing, then runs every test project of the solution.
# Extra arguments go to `dotnet test` (for example --filter "FullyQualifiedName~WebSockets").
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
/usr/bin/python3 -c 'import websockets' 2>/dev/null || need+=(python3-websockets)
[[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
if ((${#need[@]})); then
  echo "tests/run.sh: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

rm -rf TestResults
# -m:1 runs the test assemblies one after another: the functional and cluster suites start real servers (three
# demo nodes for the cluster), and on a 2-core machine running them side by side only makes timings flaky.
dotnet test ActorSsgi.sln -c Release -m:1 --results-directory TestResults --logger "trx" --logger "console;verbosity=normal" "$@"
