#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up from scratch where needed, then pytest
# on SQLite and on PostgreSQL (TEST_DATABASE_URL, or the server on 127.0.0.1:5432).
# Extra arguments go to pytest, e.g. `scripts/test.sh tests/unit -x`.
# Any failure fails the run, including pytest's exit 5 (no tests collected).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh --test --browser
mkdir -p tests/artifacts

# Static security check of the portal's own code: any medium or high finding fails.
echo "== bandit =="
.venv/bin/bandit -q -r portal blueprints --severity-level medium

run() {
  echo "== tests on $1 =="
  TEST_DATABASE_URL="$2" .venv/bin/python -m pytest "${@:3}"
}

run SQLite sqlite "$@"

pg_url=${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}
if [ "${TEST_DATABASE_URL:-}" = "sqlite" ]; then
  echo "== PostgreSQL run skipped: TEST_DATABASE_URL=sqlite =="
elif .venv/bin/python - "$pg_url" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3).close()
except Exception as error:
    print(f"PostgreSQL does not answer at {sys.argv[1]}: {error}", file=sys.stderr)
    sys.exit(1)
PY
then
  run PostgreSQL "$pg_url" "$@"
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL is required in CI" >&2
  exit 1
else
  echo "== PostgreSQL run skipped: no server answers =="
fi
