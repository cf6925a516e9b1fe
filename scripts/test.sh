#!/usr/bin/env bash
# Set up everything (Chromium included) and run every check: lint, unit, build and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh browser
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy healthsite
.venv/bin/python build.py --strict          # the sample site must build clean
.venv/bin/python -m pytest "$@"            # exit 5 (no tests collected) fails this script too
