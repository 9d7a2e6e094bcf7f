// The page as an installable, offline-first app (docs/deployment.md): served by the real relay,
// the page registers its service worker after the first frame; the worker keeps the app shell.
// Then the relay is stopped and the page reloaded: the shell must draw its first frame from the
// kept copy, while the relay's API (/relay/...) is never answered from the worker or kept in its
// cache. Also: the manifest links icons that are kept, display standalone; and the app's view
// holds the site fingerprint (Settings → About) the relay reports, which is the SHA-256 of the
// served folder's manifest (docs/deployment.md), computed here again. Last, a relay started with
// tools/run --live's options (the seed a closed local port, so nothing leaves this machine):
// the page says it is on the live network.
//
//   node tests/e2e/pwa.mjs RELAY_BIN SITE
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { click, launch, resize, until, widget } from './support/browser.mjs';
import { createAccount } from './support/session.mjs';

const [relayBin, site] = process.argv.slice(2);
if (!relayBin || !site) {
  console.error('usage: node pwa.mjs RELAY_BIN SITE');
  process.exit(2);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const check = (ok, what) => {
  if (!ok) throw new Error('FAILED: ' + what);
  console.log('ok ' + what);
};

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

// The real relay; no Session network is needed for the shell (the seed is a closed port).
const DEVNET = ['--seed', 'http://127.0.0.1:9', '--network', 'devnet'];
// tools/run --live: a pinned HTTPS seed (seed1's pin), nodes over HTTPS, network "live".
const LIVE = ['--seed', 'https://127.0.0.1:9', '--network', 'live', '--node-scheme', 'https', '--seed-pin',
  '36:EA:0B:25:35:37:98:85:51:EE:85:6E:4F:D2:0D:55:01:1E:9C:8B:27:EA:A2:F3:4B:8F:32:A0:BD:F0:4F:2D'];
async function startRelay(port, network = DEVNET) {
  const child = spawn(relayBin, ['--port', String(port), '--www', site, ...network, '--quiet'],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return child;
    } catch {}
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  child.kill('SIGTERM');
  throw new Error('the relay did not start');
}

async function stopRelay(child, url) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  let refused = false;
  try { await fetch(url); } catch { refused = true; }
  check(refused, 'the relay is stopped: its port refuses connections');
}

// docs/deployment.md: "sha256  path" lines of every regular file (no dotfiles, no symlinks),
// sorted bytewise; the SHA-256 of that text in groups of four hex digits.
function siteFingerprint(root) {
  const lines = [];
  const walk = (dir, prefix) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path, prefix + name + '/');
      else if (st.isFile()) {
        lines.push([Buffer.from(prefix + name),
                    createHash('sha256').update(readFileSync(path)).digest('hex')]);
      }
    }
  };
  walk(root, '');
  lines.sort((a, b) => Buffer.compare(a[0], b[0]));
  const manifest = lines.map(([p, h]) => `${h}  ${p.toString()}\n`).join('');
  return createHash('sha256').update(manifest).digest('hex').match(/.{4}/g).join(' ');
}

const firstFrame = (page) =>
  until(page, () => performance.getEntriesByName('st:first-frame').length > 0, null, 60000);

const port = await freePort();
const url = `http://127.0.0.1:${port}/`;
let relay = await startRelay(port);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const messages = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  const responses = [];
  const failed = [];
  page.on('response', (r) => responses.push({ url: r.url(), status: r.status(),
                                              fromWorker: r.fromServiceWorker() }));
  page.on('requestfailed', (r) => failed.push(r.url()));

  await page.goto(url);
  await firstFrame(page);
  // The worker registers after the first frame, keeps the shell, then takes the page over.
  const shell = await until(page, async () => {
    if (!navigator.serviceWorker.controller) return null;
    const names = (await caches.keys()).filter((n) => n.startsWith('session-tab-'));
    if (names.length !== 1) return null;
    const keys = await (await caches.open(names[0])).keys();
    return { cache: names[0], urls: keys.map((k) => new URL(k.url).pathname) };
  }, null, 60000);
  console.log(`cache ${shell.cache}: ${shell.urls.join(' ')}`);
  check(shell.urls.includes('/index.html'), 'the page is kept');
  for (const kind of [/^\/session_tab\.[0-9a-f]{16}\.js$/, /^\/session_tab\.[0-9a-f]{16}\.wasm$/,
                      /^\/fonts\/NotoSans-Regular\.[0-9a-f]{16}\.ttf$/, /^\/pwa\.[0-9a-f]{16}\.js$/,
                      /^\/manifest\.[0-9a-f]{16}\.webmanifest$/, /^\/icon-192\.[0-9a-f]{16}\.png$/,
                      /^\/icon-512\.[0-9a-f]{16}\.png$/]) {
    check(shell.urls.some((u) => kind.test(u)), `the shell file ${kind} is kept`);
  }

  // Settings → About's fingerprint: what the relay reports, which is the served folder's.
  const shown = await until(page, () => {
    const view = window.sessionTab && window.sessionTab.state(0);
    return view && view.settings && view.settings.site_fingerprint;
  }, null, 30000);
  check(shown === siteFingerprint(site), `the app has the site fingerprint ${shown}`);
  // ... and Settings → About draws it (an account first: Settings belongs to one). Tall, so the
  // About section is on screen without scrolling.
  await resize(page, 1280, 1600);
  await createAccount(page, 'Offline');
  await click(page, 'sidebar.settings');
  const about = await widget(page, 'settings.site_fingerprint');
  check(about.w > 0 && about.h > 0, 'Settings → About shows the site fingerprint');

  // The manifest: installable (name, start_url, display standalone, 192 and 512 icons).
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="manifest"]');
    const r = await fetch(link.href);
    return { type: r.headers.get('content-type'), body: await r.json(), href: link.href };
  });
  check(manifest.type === 'application/manifest+json', 'the manifest is application/manifest+json');
  check(manifest.body.display === 'standalone' && manifest.body.start_url === './' &&
        manifest.body.name === 'Session Tab', 'the manifest: name, start_url, display standalone');
  const sizes = manifest.body.icons.map((i) => i.sizes).sort().join(',');
  check(sizes === '192x192,512x512', 'the manifest names a 192 and a 512 icon');
  for (const icon of manifest.body.icons) {
    const path = new URL(icon.src, manifest.href).pathname;
    check(shell.urls.includes(path), `icon ${path} is kept`);
  }

  // The app asked the relay at once (/relay/info): through the network, never the worker.
  const infoOnline = responses.filter((r) => new URL(r.url).pathname.startsWith('/relay/'));
  check(infoOnline.length > 0 && infoOnline.every((r) => !r.fromWorker),
        'online, /relay/ answers come from the relay, not the worker');

  await stopRelay(relay, url);
  relay = null;
  responses.length = 0;
  failed.length = 0;
  await page.reload({ waitUntil: 'commit' });
  await firstFrame(page);
  const doc = responses.find((r) => r.url === url || r.url === url + 'index.html');
  check(doc && doc.fromWorker && doc.status === 200, 'offline, the page came from the worker');
  const hook = await page.evaluate(() => Boolean(window.sessionTab && window.sessionTab.firstFrameMs));
  check(hook, 'offline, the shell drew its first frame');
  const api = responses.filter((r) => new URL(r.url).pathname.startsWith('/relay/'));
  check(api.length === 0, 'offline, no /relay/ request was answered (by the worker or anyone): ' +
        JSON.stringify(api));
  // The app's first request still went out (and failed: the relay is down), so it did not come
  // from a cache. Wait for it: the module asks right after it starts.
  for (let i = 0; i < 400 && !failed.some((u) => new URL(u).pathname === '/relay/info'); i++) {
    await sleep(25);
  }
  check(failed.some((u) => new URL(u).pathname === '/relay/info'),
        'offline, GET /relay/info went to the network and failed');
  const kept = await page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      for (const k of await (await caches.open(name)).keys()) out.push(new URL(k.url).pathname);
    }
    return out;
  });
  check(!kept.some((p) => p.startsWith('/relay')), 'the cache holds nothing under /relay/');
  const errors = messages.filter((m) => m.startsWith('pageerror'));
  check(errors.length === 0, 'no page error: ' + errors.join(' | '));
  await context.close();

  // The live network: the relay says so at /relay/info, and the page shows it.
  const livePort = await freePort();
  relay = await startRelay(livePort, LIVE);
  const liveContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const livePage = await liveContext.newPage();
  await livePage.goto(`http://127.0.0.1:${livePort}/`);
  await firstFrame(livePage);
  const liveName = await until(livePage, () => {
    const view = window.sessionTab && window.sessionTab.state(0);
    return view && view.network && view.network.network_name === 'live' && view.network.network_name;
  }, null, 30000).catch(() => livePage.evaluate(() => window.sessionTab.state(0).network.network_name));
  check(liveName === 'live', `a page of a --network live relay says "${liveName}"`);
  await liveContext.close();
  console.log('PASS pwa');
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
  if (relay) relay.kill('SIGTERM');
}
