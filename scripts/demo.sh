#!/usr/bin/env bash
# The demo on a fresh machine: set-up, a SQLite database migrated from empty, demo
# data, the embedded development identity providers and the portal on
# http://127.0.0.1:5000. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh

export PORTAL_ENV=development
export PORTAL_URL=${PORTAL_URL:-http://127.0.0.1:${PORT:-5000}}
export OIDC_ISSUER=${OIDC_ISSUER:-http://localhost:9400}
export OIDC_CLIENT_ID=${OIDC_CLIENT_ID:-secondments-portal-demo}
export OIDC_CLIENT_SECRET=${OIDC_CLIENT_SECRET:-demo-client-secret}
export PARTNER_OIDC_ISSUER=${PARTNER_OIDC_ISSUER:-http://localhost:9401}
export PARTNER_OIDC_CLIENT_ID=${PARTNER_OIDC_CLIENT_ID:-secondments-portal-demo-partners}
export PARTNER_OIDC_CLIENT_SECRET=${PARTNER_OIDC_CLIENT_SECRET:-demo-client-secret}
export FLASK_APP=wsgi
# Deprecation notices come from the development provider's dependencies, not the portal.
export PYTHONWARNINGS=${PYTHONWARNINGS:-ignore::DeprecationWarning}

mkdir -p instance
.venv/bin/flask db upgrade
.venv/bin/flask demo-data
exec .venv/bin/flask serve-demo --port "${PORT:-5000}" \
  --idp-port "${OIDC_ISSUER##*:}" --partner-idp-port "${PARTNER_OIDC_ISSUER##*:}"
