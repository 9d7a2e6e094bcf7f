// Stops and restarts the relay a browser test talks to, on the same port, so the pages it served
// keep their origin (and their IndexedDB) while the network disappears and comes back.
// chat_e2e.sh starts the first relay and describes it in the environment:
//   ST_RELAY_BIN      the relay executable
//   ST_RELAY_WWW      the web build it serves
//   ST_RELAY_SEED     the devnet's seed URL
//   ST_RELAY_PIDFILE  holds the running relay's process id (chat_e2e.sh stops that one at exit)
//   ST_RELAY_LOG      where the relay's stderr goes (appended)
import { spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';

const env = process.env;

// True when the environment says how to control the relay (chat_e2e.sh); scripts run by hand
// against tools/run skip the relay-down check.
export const relayControllable = () =>
  Boolean(env.ST_RELAY_BIN && env.ST_RELAY_WWW && env.ST_RELAY_SEED && env.ST_RELAY_PIDFILE);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function answers(base) {
  try {
    const r = await fetch(new URL('relay/info', base), { signal: AbortSignal.timeout(1000) });
    return r.ok ? await r.json() : null;
  } catch {
    return null;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Sends SIGTERM to the relay of the pid file and waits until it has exited and its port refuses.
export async function stopRelay(base) {
  const pid = Number(readFileSync(env.ST_RELAY_PIDFILE, 'utf8').trim());
  if (!(pid > 0)) throw new Error('no relay pid in ' + env.ST_RELAY_PIDFILE);
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200 && (alive(pid) || (await answers(base))); i++) await sleep(50);
  if (alive(pid)) throw new Error(`relay ${pid} did not stop`);
}

// Starts a relay on the port of `base` and waits until it has its node list.
export async function startRelay(base) {
  const port = new URL(base).port;
  const log = openSync(env.ST_RELAY_LOG || '/dev/null', 'a');
  const child = spawn(env.ST_RELAY_BIN, ['--port', port, '--www', env.ST_RELAY_WWW,
    '--seed', env.ST_RELAY_SEED, '--network', 'devnet'], { stdio: ['ignore', 'ignore', log] });
  child.unref();
  writeFileSync(env.ST_RELAY_PIDFILE, `${child.pid}\n`);
  for (let i = 0; i < 300; i++) {
    const info = await answers(base);
    if (info && info.nodes_known > 0) return;
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`relay did not come back on port ${port} (see ${env.ST_RELAY_LOG})`);
}
