#!/usr/bin/env bash
# Set up everything the project needs in ./.venv (idempotent; fast when already done).
#   scripts/setup.sh          runtime + test dependencies
#   scripts/setup.sh browser  also what the full test suite needs beyond Python: Debian's
#                             Chromium (browser tests) and the Nu HTML checker (needs root or sudo)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [[ ! -f $stamp ]]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  rm -f .venv/.installed-* && touch "$stamp"
fi
# Pagefind 1.6 from npm's registry (PyPI stops at 1.5.2), checked against a pinned hash
.venv/bin/python scripts/fetch_pagefind.py

[[ ${1:-} == browser ]] || exit 0

apt_install() {
  local sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  for attempt in 1 2 3 4 5; do
    if $sudo_cmd apt-get update -qq && \
       DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null; then
      return 0
    fi
    echo "apt-get install $* failed (attempt $attempt); retrying in 20 s" >&2
    sleep 20
  done
  return 1
}

# Browsers cannot be downloaded by Playwright here: the tests use Debian's Chromium.
[[ -x /usr/bin/chromium ]] || apt_install chromium
# The Nu HTML checker (the W3C validator) checks every built page.
command -v java >/dev/null || apt_install default-jre-headless
if [[ ! -f .tools/node_modules/vnu-jar/build/dist/vnu.jar ]]; then
  command -v npm >/dev/null || apt_install npm
  npm install --silent --prefix .tools --no-audit --no-fund vnu-jar@26.9.27 >/dev/null
fi
