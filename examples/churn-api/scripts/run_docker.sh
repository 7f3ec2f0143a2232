#!/usr/bin/env bash
# Manage the compose stack: scripts/run_docker.sh start|stop|restart|logs|status|train|cleanup
set -euo pipefail
cd "$(dirname "$0")/.."

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  echo "neither 'docker compose' nor 'docker-compose' is available" >&2
  exit 1
fi

case "${1:-}" in
  start)   "${compose[@]}" up -d ;;
  stop)    "${compose[@]}" down ;;
  restart) "${compose[@]}" restart api ;;
  logs)    "${compose[@]}" logs -f ;;
  status)  "${compose[@]}" ps ;;
  # The API caches the model after the first load, so restart it to pick up a new one.
  train)   "${compose[@]}" run --rm train && "${compose[@]}" restart api ;;
  cleanup) "${compose[@]}" down -v --rmi local ;;
  *) echo "usage: $0 start|stop|restart|logs|status|train|cleanup" >&2; exit 2 ;;
esac
