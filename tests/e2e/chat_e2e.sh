#!/usr/bin/env bash
# Runs tests/e2e/chat.mjs against a fresh local network: a devnet on free ports in a temporary
# folder and a relay serving the web build in front of it, both on 127.0.0.1, both stopped after.
# chat.mjs stops and restarts the relay on the same port (support/relay.mjs), so the relay's
# process id lives in a file that the cleanup reads.
#   tests/e2e/chat_e2e.sh [--tls] NATIVE_BUILD_DIR SITE_DIR ARTIFACTS_DIR [SCRIPT [ARGS...]]
# SCRIPT (default chat.mjs) is any script of this folder taking the relay's URL first.
# --tls: the devnet serves HTTPS (devnet --tls) and the relay reaches it as it reaches the live
# network: the seed checked by the pin the devnet printed, nodes over HTTPS (tools/run --tls).
set -euo pipefail
tls=0
if [ "${1:-}" = --tls ]; then tls=1; shift; fi
native=$1 site=$2 artifacts=$3 script=${4:-chat.mjs}
shift $(($# < 4 ? $# : 4))
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  # The logs go with the artifacts (the relay's access log has each request's duration).
  mkdir -p "$artifacts" && cp "$work"/*.log "$artifacts/" 2>/dev/null || true
  if [ -s "$work/relay.pid" ]; then kill "$(cat "$work/relay.pid")" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

devnet_args=(--nodes 12 --port 0 --data "$work/devnet")
[ $tls = 0 ] || devnet_args+=(--tls)
"$native/tools/devnet/devnet" "${devnet_args[@]}" >"$work/devnet.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q 'devnet: ready' "$work/devnet.log" && break; sleep 0.1; done
seed=$(sed -n 's/^devnet: seed  *//p' "$work/devnet.log" | head -1)
[ -n "$seed" ] || { echo "devnet did not start:"; cat "$work/devnet.log"; exit 1; }
seed=${seed%/json_rpc}

relay_bin="$native/tools/relay/relay"
if [ $tls = 1 ]; then
  pin=$(sed -n 's/^devnet: seed-pin //p' "$work/devnet.log")
  [ -n "$pin" ] && [ "$pin" = "$(cat "$work/devnet/seed.pin")" ] ||
    { echo "devnet --tls printed no seed pin (or not the one in seed.pin):"; cat "$work/devnet.log"; exit 1; }
  case $seed in https://*) ;; *) echo "devnet --tls gave seed $seed"; exit 1 ;; esac
  # The scripts (support/relay.mjs) restart the relay with the devnet's options; this wrapper
  # adds the TLS ones, so a restarted relay pins the seed too.
  relay_bin="$work/relay-tls"
  printf '#!/bin/sh\nexec %q "$@" --seed-pin %q --node-scheme https\n' \
    "$native/tools/relay/relay" "$pin" >"$relay_bin"
  chmod +x "$relay_bin"
fi

"$relay_bin" --port 0 --www "$site" --seed "$seed" --network devnet \
  >"$work/relay.url" 2>"$work/relay.log" &
echo $! >"$work/relay.pid"
for _ in $(seq 1 300); do [ -s "$work/relay.url" ] && break; sleep 0.1; done
url=$(head -1 "$work/relay.url")
[ -n "$url" ] || { echo "relay did not start:"; cat "$work/relay.log"; exit 1; }
# The relay loads the node list from the seed before it can forward anything.
for _ in $(seq 1 300); do
  curl -sf "${url%/}/relay/info" | grep -q '"nodes_known":[1-9]' && break; sleep 0.1
done

if [ $tls = 1 ]; then
  curl -sf "${url%/}/relay/info" | grep -q '"node_scheme":"https"' ||
    { echo "the relay does not reach nodes over https:"; curl -s "${url%/}/relay/info"; exit 1; }
fi

export ST_RELAY_BIN="$relay_bin" ST_RELAY_WWW="$site" ST_RELAY_SEED="$seed"
export ST_RELAY_PIDFILE="$work/relay.pid" ST_RELAY_LOG="$work/relay.log"
status=0
node "$here/$script" "$url" "$artifacts" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- relay log (last 40 lines)"; tail -n 40 "$work/relay.log"
fi
exit "$status"
