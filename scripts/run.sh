#!/usr/bin/env bash
# `make run`: starts the server (embedded PostgreSQL under $GOLDWALLET_DATA_DIR, default ./var)
# in the foreground. Ctrl-C stops the server, which stops the cluster.
# First run only: makes development secrets in var/secrets (mode 0600) and a first admin.
set -euo pipefail
build_dir=${1:-build}
cd "$(dirname "$0")/.."
goldwallet="$build_dir/goldwallet"

export GOLDWALLET_DATA_DIR=${GOLDWALLET_DATA_DIR:-$PWD/var}
host=${GOLDWALLET_HTTP_HOST:-127.0.0.1}
port=${GOLDWALLET_HTTP_PORT:-8080}
secrets="$GOLDWALLET_DATA_DIR/secrets"
mkdir -p "$GOLDWALLET_DATA_DIR"
(umask 077 && mkdir -p "$secrets")

# Development keys, made once. Production takes its keys from a secret store instead.
for key in jwt master; do
    if [ ! -s "$secrets/$key.key" ]; then
        (umask 077 && openssl rand -hex 32 >"$secrets/$key.key")
    fi
done
if [ -z "${GOLDWALLET_JWT_KEY:-}" ]; then export GOLDWALLET_JWT_KEY_FILE=${GOLDWALLET_JWT_KEY_FILE:-$secrets/jwt.key}; fi
if [ -z "${GOLDWALLET_MASTER_KEY:-}" ]; then export GOLDWALLET_MASTER_KEY_FILE=${GOLDWALLET_MASTER_KEY_FILE:-$secrets/master.key}; fi

admin_note="admin      user 'admin'; its password was printed by the first 'make run' and is in $secrets/admin-password"
if [ ! -s "$secrets/admin-password" ]; then
    password=$(openssl rand -base64 18 | tr -d '/+=' | cut -c1-20)
    printf '%s\n' "$password" |
        "$goldwallet" admin create --username admin --email admin@goldwallet.local --role admin >/dev/null
    (umask 077 && printf '%s\n' "$password" >"$secrets/admin-password")
    admin_note="admin      user 'admin', password '$password' (shown once; kept in $secrets/admin-password)"
fi

cat <<BANNER

  Gold Wallet
  -----------
  API        http://$host:$port
  health     http://$host:$port/healthz   ready: http://$host:$port/readyz
  metrics    http://$host:$port/metrics
  $admin_note
  data       $GOLDWALLET_DATA_DIR (embedded PostgreSQL in pg/, dev secrets in secrets/)

  Ctrl-C stops the server and the database.

BANNER
exec "$goldwallet" serve
