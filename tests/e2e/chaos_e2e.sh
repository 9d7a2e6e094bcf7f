#!/usr/bin/env bash
# Runs tests/e2e/chaos.mjs against a fresh local network, as chat_e2e.sh does, except that the
# devnet listens on a fixed free port range instead of --port 0: chaos.mjs stops and restarts the
# whole devnet (same data folder), and it must come back on the ports the relay and the pages
# know. The devnet's and the relay's process ids live in files that the cleanup reads, since the
# script replaces both processes.
#   tests/e2e/chaos_e2e.sh NATIVE_BUILD_DIR SITE_DIR ARTIFACTS_DIR [ARGS...]
# CHAOS_* variables (chaos.mjs) pass through; CHAOS_RELAY_TIMEOUT_MS sets the devnet's
# --relay-timeout (default: the devnet's own, the real node's 30 s).
set -euo pipefail
native=$1 site=$2 artifacts=$3
shift 3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
nodes=12
cleanup() {
  mkdir -p "$artifacts" && cp "$work"/*.log "$artifacts/" 2>/dev/null || true
  for f in relay.pid devnet.pid; do
    if [ -s "$work/$f" ]; then kill "$(cat "$work/$f")" 2>/dev/null || true; fi
  done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A base port P with P .. P+nodes free (the seed/admin on P, node i on P+1+i). Another program
# may take one between this check and the bind: the devnet then exits and the next base is tried.
free_range() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! ss -Htln | awk '{print $4}' | sed 's/.*://' |
         awk -v lo="$p" -v hi="$((p + nodes))" '$1 >= lo && $1 <= hi {found=1} END {exit !found}'; then
      echo "$p"; return 0
    fi
  done
  return 1
}

devnet_bin="$native/tools/devnet/devnet"
started=0
for _ in 1 2 3 4 5; do
  port=$(free_range)
  devnet_args=(--nodes "$nodes" --port "$port" --data "$work/devnet")
  [ -z "${CHAOS_RELAY_TIMEOUT_MS:-}" ] || devnet_args+=(--relay-timeout "$CHAOS_RELAY_TIMEOUT_MS")
  "$devnet_bin" "${devnet_args[@]}" >>"$work/devnet.log" 2>&1 &
  echo $! >"$work/devnet.pid"
  for _ in $(seq 1 300); do
    grep -q 'devnet: ready' "$work/devnet.log" && break
    kill -0 "$(cat "$work/devnet.pid")" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q 'devnet: ready' "$work/devnet.log"; then started=1; break; fi
  kill "$(cat "$work/devnet.pid")" 2>/dev/null || true
  rm -rf "$work/devnet"
done
[ $started = 1 ] || { echo "devnet did not start:"; cat "$work/devnet.log"; exit 1; }
seed=$(sed -n 's/^devnet: seed  *//p' "$work/devnet.log" | tail -1)
seed=${seed%/json_rpc}

"$native/tools/relay/relay" --port 0 --www "$site" --seed "$seed" --network devnet \
  >"$work/relay.url" 2>"$work/relay.log" &
echo $! >"$work/relay.pid"
for _ in $(seq 1 300); do [ -s "$work/relay.url" ] && break; sleep 0.1; done
url=$(head -1 "$work/relay.url")
[ -n "$url" ] || { echo "relay did not start:"; cat "$work/relay.log"; exit 1; }
for _ in $(seq 1 300); do
  curl -sf "${url%/}/relay/info" | grep -q '"nodes_known":[1-9]' && break; sleep 0.1
done

export ST_RELAY_BIN="$native/tools/relay/relay" ST_RELAY_WWW="$site" ST_RELAY_SEED="$seed"
export ST_RELAY_PIDFILE="$work/relay.pid" ST_RELAY_LOG="$work/relay.log"
ST_DEVNET_ARGS=$(printf '%s\n' "${devnet_args[@]}" | node -e \
  'console.log(JSON.stringify(require("fs").readFileSync(0, "utf8").trim().split("\n")))')
export ST_DEVNET_BIN="$devnet_bin" ST_DEVNET_ARGS ST_DEVNET_PIDFILE="$work/devnet.pid"
export ST_DEVNET_LOG="$work/devnet.log" ST_DEVNET_ADMIN="$seed/admin"
status=0
node "$here/chaos.mjs" "$url" "$artifacts" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- relay log (last 40 lines)"; tail -n 40 "$work/relay.log"
  echo "--- devnet log (last 40 lines)"; tail -n 40 "$work/devnet.log"
fi
exit "$status"
