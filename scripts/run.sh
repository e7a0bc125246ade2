#!/usr/bin/env bash
# `make run`: starts the server (embedded PostgreSQL under $GOLDWALLET_DATA_DIR, default ./var)
# in the foreground. Ctrl-C stops the server, which stops the cluster.
set -euo pipefail
build_dir=${1:-build}
cd "$(dirname "$0")/.."

export GOLDWALLET_DATA_DIR=${GOLDWALLET_DATA_DIR:-$PWD/var}
host=${GOLDWALLET_HTTP_HOST:-127.0.0.1}
port=${GOLDWALLET_HTTP_PORT:-8080}
mkdir -p "$GOLDWALLET_DATA_DIR"

cat <<BANNER

  Gold Wallet
  -----------
  API        http://$host:$port
  health     http://$host:$port/healthz   ready: http://$host:$port/readyz
  metrics    http://$host:$port/metrics
  data       $GOLDWALLET_DATA_DIR (embedded PostgreSQL in pg/)

  Ctrl-C stops the server and the database.

BANNER
exec "$build_dir/goldwallet" serve
