#!/usr/bin/env bash
# Idempotent set-up on a fresh machine (Python 3.11, Node 20, root): the virtual
# environment with the portal installed, GOV.UK Frontend's built assets copied into
# the static folder, and with --browser Debian's Chromium for the browser tests.
# Every step checks before it acts, so running it twice costs seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="dev-idp"
want_browser=0
for arg in "$@"; do
  case "$arg" in
    --test) extras="test" ;;
    --browser) want_browser=1 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=".venv/.installed-$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
  touch "$stamp"
fi

if [ ! -d node_modules/govuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# GOV.UK Frontend's compiled CSS refers to /assets/fonts and /assets/images, and the
# portal serves its static folder at /assets.
dist=node_modules/govuk-frontend/dist/govuk
static=portal/static
if [ ! -f "$static/govuk-frontend.min.css" ] || [ "$dist/govuk-frontend.min.css" -nt "$static/govuk-frontend.min.css" ]; then
  rm -rf "$static/fonts" "$static/images"
  cp "$dist/govuk-frontend.min.css" "$dist/govuk-frontend.min.js" "$static/"
  cp -r "$dist/assets/fonts" "$dist/assets/images" "$static/"
fi

if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
