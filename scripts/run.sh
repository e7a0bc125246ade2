#!/usr/bin/env bash
# `make run`: starts daraja-sim (the M-Pesa simulator) and the server (embedded PostgreSQL under
# $GOLDWALLET_DATA_DIR, default ./var) in development mode. Ctrl-C stops the server, which stops
# the cluster, and then the simulator.
# First run only: makes development secrets in var/secrets (mode 0600) and a first admin.
set -euo pipefail
build_dir=${1:-build}
cd "$(dirname "$0")/.."
goldwallet="$build_dir/goldwallet"
simulator="$build_dir/daraja-sim"

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

# The simulator keeps its transactions (for the statement export) and its initiator key in
# var/daraja-sim; the server gets the SecurityCredential an operator would compute from
# Safaricom's certificate, here from the simulator's key.
export GOLDWALLET_ENV=${GOLDWALLET_ENV:-development}
sim_port=${DARAJA_SIM_PORT:-8089}
sim_dir="$GOLDWALLET_DATA_DIR/daraja-sim"
mkdir -p "$sim_dir"
export GOLDWALLET_MPESA_BASE_URL=${GOLDWALLET_MPESA_BASE_URL:-http://127.0.0.1:$sim_port}
"$simulator" --port "$sim_port" --key-file "$sim_dir/initiator-key.pem" \
    --state-file "$sim_dir/state.json" >"$sim_dir/stdout.log" 2>"$sim_dir/daraja-sim.log" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    grep -q "listening" "$sim_dir/stdout.log" 2>/dev/null && break
    if ! kill -0 "$sim_pid" 2>/dev/null; then
        echo "daraja-sim did not start (is port $sim_port taken?); see $sim_dir/daraja-sim.log" >&2
        exit 1
    fi
    sleep 0.1
done
if [ -z "${GOLDWALLET_MPESA_SECURITY_CREDENTIAL:-}" ]; then
    (umask 077 && "$simulator" security-credential --key-file "$sim_dir/initiator-key.pem" \
        >"$secrets/mpesa-security-credential")
    export GOLDWALLET_MPESA_SECURITY_CREDENTIAL_FILE=$secrets/mpesa-security-credential
fi

admin_note="admin login user 'admin'; its password was printed by the first 'make run' and is in $secrets/admin-password"
if [ ! -s "$secrets/admin-password" ]; then
    password=$(openssl rand -base64 18 | tr -d '/+=' | cut -c1-20)
    printf '%s\n' "$password" |
        "$goldwallet" admin create --username admin --email admin@goldwallet.local --role admin >/dev/null
    (umask 077 && printf '%s\n' "$password" >"$secrets/admin-password")
    admin_note="admin login user 'admin', password '$password' (shown once; kept in $secrets/admin-password)"
fi

cat <<BANNER

  Gold Wallet
  -----------
  wallet     http://$host:$port/          (register, buy and sell gold)
  admin      http://$host:$port/admin/    (the console; sign in as the admin below)
  API        http://$host:$port
  health     http://$host:$port/healthz   ready: http://$host:$port/readyz
  metrics    http://$host:$port/metrics
  M-Pesa     daraja-sim at http://127.0.0.1:$sim_port (sandbox shortcode 174379; the simulated
             customer accepts every prompt after 1 s; statement: /sim/statement)
  $admin_note
  data       $GOLDWALLET_DATA_DIR (embedded PostgreSQL in pg/, dev secrets in secrets/)

  Ctrl-C stops the server, the database and the simulator.

BANNER
# The server runs as a child so the simulator can be stopped after it; INT/TERM reach it
# through the trap (a background child of a script ignores Ctrl-C's SIGINT by itself).
"$goldwallet" serve &
server_pid=$!
trap 'kill -TERM "$server_pid" 2>/dev/null || true' INT TERM
wait "$server_pid" || true
wait "$server_pid" 2>/dev/null || true
