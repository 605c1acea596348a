#!/usr/bin/env bash
# Refresh the README's images: run the browser tests with their screenshots written into
# docs/screenshots (a normal test run writes them to the ignored test-results/screenshots).
# Each shot is taken only once the page has settled (no running script, no loading placeholder).
set -euo pipefail
cd "$(dirname "$0")/.."
CNNVIZ_SCREENSHOTS="$PWD/docs/screenshots" exec bash scripts/test.sh tests/e2e "$@"
