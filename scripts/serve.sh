#!/usr/bin/env bash
# Set up, build the sample clinic site and serve it at http://127.0.0.1:8000/ (Ctrl+C stops).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python build.py serve "$@"
