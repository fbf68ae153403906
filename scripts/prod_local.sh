#!/usr/bin/env bash
# The production shape from local processes, for machines without a Docker engine:
# Redis as broker and channel layer, PostgreSQL, a separate `cpu` Celery worker, daphne in front.
# Uses the Redis and PostgreSQL already running on this machine; override with REDIS_URL/DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/playground}"
HOST="${HOST:-127.0.0.1}" PORT="${PORT:-8000}"
PY=.venv/bin/python

$PY scripts/ensure_database.py
$PY manage.py migrate --noinput

.venv/bin/celery -A playground worker -Q cpu --concurrency="${CPU_WORKERS:-2}" -n "cpu@%h" --loglevel=INFO &
WORKER=$!
if [[ "${GPU_WORKER:-0}" == 1 ]]; then
  .venv/bin/celery -A playground worker -Q gpu --pool=solo -n "gpu@%h" --loglevel=INFO &
  GPU=$!
fi
trap 'kill $WORKER ${GPU:-} 2>/dev/null; wait' EXIT INT TERM
echo "Neural Playground (production shape) on http://$HOST:$PORT/"
.venv/bin/daphne -b "$HOST" -p "$PORT" playground.asgi:application
