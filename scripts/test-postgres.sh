#!/usr/bin/env bash
# Run the test suite (or the pytest arguments given) against a throwaway
# PostgreSQL server: installed if missing (root on Debian), started on a free
# loopback port, stopped and removed on exit.
#   scripts/test-postgres.sh                      # the whole suite
#   scripts/test-postgres.sh tests/store/test_postgres_poll_lock.py -x
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/postgres-throwaway.sh
source scripts/postgres-throwaway.sh
trap stop_postgres EXIT
trap 'exit 130' INT TERM
install_postgres && start_postgres || exit 1
DIFFSYNC_TEST_POSTGRES_URL=$PG_URL DIFFSYNC_TEST_DATABASE_URL=$PG_URL .venv/bin/python -m pytest "$@"
