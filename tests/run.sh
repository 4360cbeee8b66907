#!/usr/bin/env bash
# The README's test command: installs the Debian packages the tests drive (a real browser, an independent
# WebSocket client, nginx, Debian's CPython with Flask/Starlette/FastAPI, afl++ and the sharpfuzz tool for the fuzz run) when they are missing, then runs every test project of the solution.
# Extra arguments go to `dotnet test` (for example --filter "FullyQualifiedName~WebSockets").
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
/usr/bin/python3 -c 'import websockets' 2>/dev/null || need+=(python3-websockets)
[[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
# The Python interfaces: Debian's CPython library, the frameworks they serve, and the servers they are compared with.
[[ -e /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 || -e /usr/lib/aarch64-linux-gnu/libpython3.11.so.1.0 ]] || need+=(libpython3.11)
for module in flask:python3-flask starlette:python3-starlette fastapi:python3-fastapi; do
  /usr/bin/python3 -c "import ${module%%:*}" 2>/dev/null || need+=("${module#*:}")
done
[[ -x /usr/bin/gunicorn ]] || need+=(gunicorn)
[[ -x /usr/bin/uvicorn ]] || need+=(uvicorn)
# The fuzz run (tests/ActorSsgi.Fuzz, docs/fuzzing.md): afl-fuzz, and SharpFuzz's instrumenting tool below.
command -v afl-fuzz >/dev/null || need+=(afl++)
if ((${#need[@]})); then
  echo "tests/run.sh: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! command -v sharpfuzz >/dev/null && [[ ! -x $HOME/.dotnet/tools/sharpfuzz ]]; then
  echo "tests/run.sh: installing the sharpfuzz tool"
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

rm -rf TestResults
# -m:1 runs the test assemblies one after another: the functional and cluster suites start real servers (three
# demo nodes for the cluster), and on a 2-core machine running them side by side only makes timings flaky.
dotnet test ActorSsgi.sln -c Release -m:1 --results-directory TestResults --logger "trx" --logger "console;verbosity=normal" "$@"
