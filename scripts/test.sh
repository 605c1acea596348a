#!/usr/bin/env bash
# Install everything the test suite needs, then run all of it — browser tests included.
#
#   bash scripts/test.sh            # the whole suite
#   bash scripts/test.sh tests/ops  # any pytest arguments narrow it down
#
# Python packages go into .venv (rebuilt when the requirements change). Chromium and nginx come
# from the system: Debian's packages via apt-get when missing (as root, or with sudo). Under
# CI=true a missing browser or nginx fails the run instead of skipping those tests.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
"$python" - <<'PY' || { echo "cnnviz needs Python 3.10 or newer (found $("$python" --version 2>&1))." >&2; exit 1; }
import sys
sys.exit(sys.version_info < (3, 10))
PY

wanted=$("$python" -c 'import hashlib; print(hashlib.sha256(open("requirements.txt","rb").read() + open("requirements-dev.txt","rb").read()).hexdigest())')
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.requirements-sha256 2>/dev/null)" != "$wanted" ]; then
  echo "== installing Python packages into .venv"
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check \
    -r requirements.txt -r requirements-dev.txt
  echo "$wanted" > .venv/.requirements-sha256
fi

find_chromium() {
  local candidate
  for candidate in "${CNNVIZ_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  command -v apt-get >/dev/null || return 1
  [ -z "$sudo" ] || command -v sudo >/dev/null || return 1
  echo "== installing $* with apt-get"
  for attempt in 1 2; do
    if $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"; then
      return 0
    fi
    echo "apt-get failed (attempt $attempt)" >&2
    sleep 5
  done
  return 1
}

if ! chromium=$(find_chromium); then
  apt_install chromium || true
  chromium=$(find_chromium || true)
fi
if [ -n "$chromium" ]; then
  export CNNVIZ_CHROMIUM="$chromium"
  echo "== browser: $chromium"
elif [ "${CI:-}" = "true" ]; then
  echo "No Chromium found and it could not be installed: browser tests cannot run under CI." >&2
  exit 1
else
  echo "== no system Chromium; the browser tests will be skipped (install Debian's 'chromium'," >&2
  echo "   or set CNNVIZ_CHROMIUM to a Chromium/Chrome binary, to run them)." >&2
fi

# nginx for the test of two replicas behind a load balancer (scripts/serve_class.py).
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  apt_install nginx-light || true
fi
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] && [ "${CI:-}" = "true" ]; then
  echo "No nginx found and it could not be installed: the replica test cannot run under CI." >&2
  exit 1
fi

# One BLAS thread per process, as the app's server uses (cnnviz/nn/runtime.py): with several
# test workers, browsers and servers sharing two cores, OpenBLAS's spinning second thread made
# small matrix products ~40× slower (the transfer test: 3.9 s alone, 70 s in the suite).
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# Three workers on the 2-core machine, each with its own browser-test server: many browser tests
# spend their time waiting for a player's timer, and a third worker fills those waits (the whole
# suite: 5:27 with two, 4:50 with three). Idle workers steal queued tests, so all finish together.
# CNNVIZ_WORKERS=0 runs everything in one process.
exec .venv/bin/python -m pytest -n "${CNNVIZ_WORKERS:-3}" --dist worksteal "$@"
