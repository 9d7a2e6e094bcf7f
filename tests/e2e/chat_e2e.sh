#!/usr/bin/env bash
# Runs tests/e2e/chat.mjs against a fresh local network: a devnet on free ports in a temporary
# folder and a relay serving the web build in front of it, both on 127.0.0.1, both stopped after.
#   tests/e2e/chat_e2e.sh NATIVE_BUILD_DIR SITE_DIR ARTIFACTS_DIR
set -euo pipefail
native=$1 site=$2 artifacts=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$native/tools/devnet/devnet" --nodes 12 --port 0 --data "$work/devnet" >"$work/devnet.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q 'devnet: ready' "$work/devnet.log" && break; sleep 0.1; done
seed=$(sed -n 's/^devnet: seed  *//p' "$work/devnet.log" | head -1)
[ -n "$seed" ] || { echo "devnet did not start:"; cat "$work/devnet.log"; exit 1; }
seed=${seed%/json_rpc}

"$native/tools/relay/relay" --port 0 --www "$site" --seed "$seed" --network devnet \
  >"$work/relay.url" 2>"$work/relay.log" &
pids+=($!)
for _ in $(seq 1 300); do [ -s "$work/relay.url" ] && break; sleep 0.1; done
url=$(head -1 "$work/relay.url")
[ -n "$url" ] || { echo "relay did not start:"; cat "$work/relay.log"; exit 1; }
# The relay loads the node list from the seed before it can forward anything.
for _ in $(seq 1 300); do
  curl -sf "${url%/}/relay/info" | grep -q '"nodes_known":[1-9]' && break; sleep 0.1
done

node "$here/chat.mjs" "$url" "$artifacts"
