// Start time and transfer of the web build, by hand (not a ctest: it prints numbers, it does not
// judge them). Serves the site with the real relay (its caching and precompressed files), opens
// the page in headless Chromium and reads the page's own marks (wasm/main.cpp):
//   st:first-frame   the first frame on the canvas (the shell, with the UI font)
//   st:interactive   the first frame showing the real UI (stored state read)
// both in ms since navigation start. Cold = a fresh browser context (empty HTTP cache and
// IndexedDB); warm = a second navigation in the same context (HTTP cache kept). Also prints the
// bytes transferred by the cold load, file by file, with their Content-Encoding, and flags any
// file fetched twice (a preload not taken).
//
//   node tests/e2e/start_time.mjs [--runs N] [--relay BIN] [--www SITE] [--url URL]
//     --relay  default build/native/tools/relay/relay; --www default build/wasm/wasm/site
//     --url    measure a page already served (tools/run) instead of starting a relay
//     --accept-encoding VALUE  send this Accept-Encoding (e.g. "gzip, deflate": the gzip transfer)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { launch, until } from './support/browser.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(opt('--runs', '10'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

async function startRelay() {
  const bin = opt('--relay', 'build/native/tools/relay/relay');
  const www = opt('--www', 'build/wasm/wasm/site');
  if (!existsSync(bin) || !existsSync(www)) throw new Error(`need ${bin} and ${www} (build them)`);
  const port = await freePort();
  // No Session network is needed to reach the first interactive frame: the seed is a closed port.
  const child = spawn(bin, ['--port', String(port), '--www', www, '--seed', 'http://127.0.0.1:9',
    '--network', 'devnet', '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {}
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  child.kill('SIGTERM');
  throw new Error('the relay did not start');
}

// One navigation: waits for st:interactive and returns the marks and what was transferred.
async function load(page) {
  const responses = [];
  const onResponse = async (response) => {
    const headers = response.headers();
    responses.push({ url: response.url(), status: response.status(),
                     encoding: headers['content-encoding'] || '', cache: headers['cache-control'] || '',
                     fromCache: response.fromServiceWorker() ? 'sw' : '' });
  };
  page.on('response', onResponse);
  await page.goto(page.__url, { waitUntil: 'commit' });
  const marks = await until(page, () => {
    const get = (n) => (performance.getEntriesByName(n)[0] || {}).startTime;
    let interactive = get('st:interactive');
    let firstFrame = get('st:first-frame');
    let polled = false;
    if (interactive === undefined) {
      // A build without the marks (before they were added): the test hook's first frame, and
      // the moment a poll sees the stored state read (up to one poll late).
      const hook = window.sessionTab;
      if (!hook || !hook.firstFrameMs || get('st:first-frame') !== undefined) return null;
      const view = hook.state(0);
      if (!view || view.loading) return null;
      firstFrame = hook.firstFrameMs;
      interactive = Math.max(performance.now(), firstFrame);
      polled = true;
    }
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource').map((r) => ({
      name: r.name, transfer: r.transferSize, encoded: r.encodedBodySize, decoded: r.decodedBodySize,
      start: r.startTime, end: r.responseEnd, initiator: r.initiatorType }));
    return { firstFrame, interactive, polled, resources,
             html: { name: nav.name, transfer: nav.transferSize, encoded: nav.encodedBodySize,
                     decoded: nav.decodedBodySize, end: nav.responseEnd } };
  }, null, 30000);
  page.off('response', onResponse);
  return { ...marks, responses };
}

const stats = (values) => {
  const v = [...values].sort((a, b) => a - b);
  const at = (q) => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
  return { median: v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2,
           p95: at(0.95), min: v[0], max: v[v.length - 1] };
};
const fmt = (s) => `median ${s.median.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms ` +
                   `(min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})`;

const relay = opt('--url') ? null : await startRelay();
const url = opt('--url', relay && relay.url);
const browser = await launch();
const results = { cold: [], warm: [], coldFirst: [], warmFirst: [] };
let firstCold = null;
let lastCold = null;
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    if (opt('--accept-encoding')) {
      await context.setExtraHTTPHeaders({ 'Accept-Encoding': opt('--accept-encoding') });
    }
    const page = await context.newPage();
    page.__url = url;
    const cold = await load(page);
    const warm = await load(page);
    results.cold.push(cold.interactive);
    results.coldFirst.push(cold.firstFrame);
    results.warm.push(warm.interactive);
    results.warmFirst.push(warm.firstFrame);
    if (!firstCold) firstCold = { cold, warm };
    lastCold = cold;
    await context.close();
  }
} finally {
  await browser.close();
  if (relay) relay.stop();
}

console.log(`${url} — ${runs} runs, headless Chromium, loopback` +
            (firstCold.cold.polled ? ' (no st: marks in this build: first frame from the test ' +
                                     'hook, interactive polled every 25 ms)' : ''));
console.log(`cold  first interactive frame: ${fmt(stats(results.cold))}`);
console.log(`cold  first frame (shell):     ${fmt(stats(results.coldFirst))}`);
console.log(`warm  first interactive frame: ${fmt(stats(results.warm))}`);
console.log(`warm  first frame (shell):     ${fmt(stats(results.warmFirst))}`);

// Transfer of the first cold load: the HTML and every resource, by file.
const { cold, warm } = firstCold;
const encodingOf = (list, name) => (list.find((r) => r.url === name) || {}).encoding || '';
const cacheOf = (list, name) => (list.find((r) => r.url === name) || {}).cache || '';
const rows = [{ name: cold.html.name, transfer: cold.html.transfer, encoded: cold.html.encoded,
                decoded: cold.html.decoded, initiator: 'navigation' }, ...cold.resources];
let total = 0;
let statics = 0;
console.log('\ncold load, bytes on the wire (transferSize includes headers):');
for (const r of rows) {
  total += r.transfer;
  if (!r.name.includes('/relay/')) statics += r.transfer;
  const short = r.name.replace(url, '/');
  console.log(`  ${String(r.transfer).padStart(8)}  body ${String(r.encoded).padStart(8)} ` +
              `(${String(r.decoded).padStart(8)} decoded) ${encodingOf(cold.responses, r.name).padEnd(4)} ` +
              `${short}  [${r.initiator}; ${cacheOf(cold.responses, r.name)}]`);
}
console.log('cold load timeline (ms since navigation start, last run):');
const timeline = lastCold.resources.map((r) => [r.name.replace(url, '/'), r.start, r.end]);
timeline.unshift(['(html)', 0, lastCold.html.end]);
for (const [name, start, end] of timeline)
  console.log(`  ${start.toFixed(0).padStart(5)} → ${end.toFixed(0).padStart(5)}  ${name}`);
console.log(`  first frame ${lastCold.firstFrame.toFixed(0)}, interactive ${lastCold.interactive.toFixed(0)}`);
console.log(`  total ${total} bytes (${(total / 1024).toFixed(1)} KiB); static files ${statics} bytes ` +
            `(${(statics / 1024).toFixed(1)} KiB, ${(statics / 1000).toFixed(1)} kB)`);
const seen = new Map();
for (const r of cold.resources) seen.set(r.name, (seen.get(r.name) || 0) + 1);
const twice = [...seen].filter(([, n]) => n > 1).map(([name]) => name);
console.log(twice.length ? `fetched more than once: ${twice.join(', ')}` : 'no file fetched twice');
const warmBytes = [{ transfer: warm.html.transfer }, ...warm.resources]
  .reduce((sum, r) => sum + r.transfer, 0);
console.log(`warm load: ${warmBytes} bytes on the wire ` +
            `(${warm.resources.filter((r) => r.transfer === 0).length} resources from the HTTP cache)`);
