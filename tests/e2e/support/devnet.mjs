// The devnet's fault switches (tools/devnet/README.md "Fault switches") and a whole-devnet
// restart on the same ports and data folder, for browser tests that break the network on purpose.
// chaos_e2e.sh starts the devnet on a fixed port range (a restart must come back where the relay
// and the pages know it) and describes it in the environment:
//   ST_DEVNET_BIN      the devnet executable
//   ST_DEVNET_ARGS     its arguments, as a JSON array (--port P --data DIR ...)
//   ST_DEVNET_PIDFILE  holds the running devnet's process id (chaos_e2e.sh stops that one at exit)
//   ST_DEVNET_LOG      where its stdout and stderr go (appended)
//   ST_DEVNET_ADMIN    http://127.0.0.1:P/admin
import { spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';

const env = process.env;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const devnetControllable = () =>
  Boolean(env.ST_DEVNET_BIN && env.ST_DEVNET_ARGS && env.ST_DEVNET_PIDFILE && env.ST_DEVNET_ADMIN);

// One admin command; returns the devnet's status (with "ok": true), or throws with its error.
export async function admin(command) {
  const r = await fetch(env.ST_DEVNET_ADMIN, {
    method: 'POST', body: JSON.stringify(command), signal: AbortSignal.timeout(10000),
  });
  const body = await r.json();
  if (!r.ok) throw new Error(`devnet admin ${JSON.stringify(command)}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

export const status = () => admin({ op: 'status' });

// The members of `pubkey`'s swarm (node indexes), asked of a running node as a client would
// (get_swarm, tools/devnet/rpc.cpp), so the answer follows swarm moves.
export async function swarmOf(pubkey) {
  const st = await status();
  const byKey = new Map(st.nodes.map((n) => [n.pubkey_ed25519, n.index]));
  for (const n of st.nodes.filter((x) => !x.stopped)) {
    try {
      const r = await fetch(`${n.url}/storage_rpc/v1`, {
        method: 'POST', body: JSON.stringify({ method: 'get_swarm', params: { pubkey } }),
        signal: AbortSignal.timeout(5000),
      });
      if (!r.ok) continue;
      const body = await r.json();
      return (body.snodes || []).map((s) => byKey.get(s.pubkey_ed25519)).filter((i) => i !== undefined);
    } catch {
      // that node is busy or going away; ask another
    }
  }
  throw new Error(`no node answered get_swarm for ${pubkey.slice(0, 10)}`);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers() {
  try {
    return (await fetch(env.ST_DEVNET_ADMIN, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

// SIGTERM (the devnet closes its databases cleanly) and waits until the process is gone.
export async function stopDevnet() {
  const pid = Number(readFileSync(env.ST_DEVNET_PIDFILE, 'utf8').trim());
  if (!(pid > 0)) throw new Error('no devnet pid in ' + env.ST_DEVNET_PIDFILE);
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 400 && alive(pid); i++) await sleep(50);
  if (alive(pid)) throw new Error(`devnet ${pid} did not stop`);
}

// Starts the devnet again with the same arguments (same ports, same data: keys, swarms and
// messages come back) and waits until its admin port answers.
export async function startDevnet() {
  const log = openSync(env.ST_DEVNET_LOG || '/dev/null', 'a');
  const child = spawn(env.ST_DEVNET_BIN, JSON.parse(env.ST_DEVNET_ARGS), { stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(env.ST_DEVNET_PIDFILE, `${child.pid}\n`);
  for (let i = 0; i < 600; i++) {
    if (await answers()) return;
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`devnet did not come back (see ${env.ST_DEVNET_LOG})`);
}
