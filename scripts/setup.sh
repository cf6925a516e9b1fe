#!/usr/bin/env bash
# Set up everything the project needs in ./.venv (idempotent; fast when already done).
#   scripts/setup.sh          runtime + test dependencies
#   scripts/setup.sh browser  also Debian's Chromium for the browser tests (needs root or sudo)
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

if [[ ${1:-} == browser && ! -x /usr/bin/chromium ]]; then
  # Browsers cannot be downloaded by Playwright here: use Debian's Chromium.
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  for attempt in 1 2 3 4 5; do
    if $sudo_cmd apt-get update -qq && \
       DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null; then
      break
    fi
    echo "apt-get failed (attempt $attempt); retrying in 20 s" >&2
    sleep 20
  done
fi
