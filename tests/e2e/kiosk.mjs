// Kiosk mode end to end in Chromium (docs/kiosk.md) against a running Session Tab (chat_e2e.sh
// starts a fresh devnet and relay, and describes the relay in the environment). A second relay is
// started on the same devnet with --kiosk --kiosk-idle-s 30; in a page it serves:
//   - the kiosk bar shows; a visitor creates an account and writes to Bob (a normal tab), who
//     gets the message;
//   - left alone for 30 s, the page shows a 30-second countdown, then wipes itself: Welcome, and
//     IndexedDB, localStorage, the Cache API and service workers hold nothing, the hidden text
//     field is empty and no two consecutive words of the recovery phrase are anywhere in the DOM;
//   - "End session" wipes at once; a reload finds nothing.
// And the operator URL ?kiosk=1 on the normal relay turns kiosk mode on too.
//   node tests/e2e/kiosk.mjs http://127.0.0.1:8080/ [artifacts dir]
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { click, frames, launch, state, until, widget } from './support/browser.mjs';
import { createAccount, dumpTabs, openTab, send, startConversation } from './support/session.mjs';

const base = process.argv[2] || 'http://127.0.0.1:8080/';
const out = process.argv[3] || 'build/e2e-artifacts/kiosk';
await mkdir(out, { recursive: true });
const env = process.env;
if (!env.ST_RELAY_BIN || !env.ST_RELAY_WWW || !env.ST_RELAY_SEED) {
  console.log('kiosk.mjs needs chat_e2e.sh (ST_RELAY_BIN, ST_RELAY_WWW, ST_RELAY_SEED)');
  process.exit(1);
}

// The kiosk relay: same site, same devnet, kiosk mode for every page it serves.
const kioskRelay = spawn(env.ST_RELAY_BIN, ['--port', '0', '--www', env.ST_RELAY_WWW, '--seed', env.ST_RELAY_SEED,
  '--quiet', '--kiosk', '--kiosk-idle-s', '30'], { stdio: ['ignore', 'pipe', 'inherit'] });
const kioskBase = await new Promise((resolve, reject) => {
  createInterface({ input: kioskRelay.stdout }).once('line', (line) => resolve(line.trim().replace(/\/?$/, '/')));
  kioskRelay.once('exit', (code) => reject(new Error(`the kiosk relay exited (${code})`)));
});
for (let i = 0; ; ++i) {  // it loads the node list from the seed before it forwards anything
  const info = await (await fetch(new URL('relay/info', kioskBase))).json();
  if (info.nodes_known > 0) break;
  assert.ok(i < 300, 'the kiosk relay got no nodes');
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await launch();
const shot = async (page, name) => { await frames(page, 2); await page.screenshot({ path: join(out, `${name}.png`) }); };
const tabs = {};

// What the browser keeps for the page's origin, and what its DOM holds.
const leftovers = (page) => page.evaluate(async () => ({
  databases: (await indexedDB.databases()).map((d) => d.name),
  localStorage: localStorage.length,
  sessionStorage: sessionStorage.length,
  caches: await caches.keys(),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
  textField: document.getElementById('st-text-input')?.value ?? '',
  html: document.documentElement.outerHTML,
}));

function phraseInDom(html, phrase) {
  const words = phrase.split(' ');
  for (let i = 0; i + 1 < words.length; ++i) {
    if (html.includes(`${words[i]} ${words[i + 1]}`)) return `${words[i]} ${words[i + 1]}`;
  }
  return null;
}

try {
  const b = tabs.B = await openTab(browser, base, 'B');
  const bob = await createAccount(b.page, 'Bob');

  const k = tabs.K = await openTab(browser, kioskBase, 'K');
  assert.equal((await state(k.page, 0)).kiosk.active, true, 'the relay says kiosk');
  await widget(k.page, 'kiosk.banner');
  await shot(k.page, 'k-welcome');
  const visitor = await createAccount(k.page, 'Visitor');
  await startConversation(k.page, bob.id);
  await send(k.page, 'Hello Bob, from the library computer.');
  const idleFrom = Date.now();  // the last input of this session
  await until(b.page, (id) => window.sessionTab.state(0).requests.some((c) => c.peer_session_id === id), visitor.id, 90000);
  await shot(k.page, 'k-chat');

  // Nothing held in the browser while the session runs, either.
  const during = await leftovers(k.page);
  assert.deepEqual(during.databases, [], 'no IndexedDB database during the session');
  assert.equal(during.localStorage, 0);
  assert.deepEqual(during.caches, []);
  assert.equal(during.workers, 0, 'no service worker in kiosk mode');

  // Idle: the countdown 30 s after the last input, the wipe 30 s later.
  await until(k.page, () => window.sessionTab.state(0).kiosk.ends_at_ms > 0, null, 60000);
  const countdownAfter = Date.now() - idleFrom;
  await widget(k.page, 'kiosk.countdown');
  await shot(k.page, 'k-countdown');
  await until(k.page, () => { const s = window.sessionTab.state(0); return !s.account && !s.loading && s.onboarding.step === 'welcome'; },
    null, 45000);
  const wipedAfter = Date.now() - idleFrom;
  console.log(`idle: countdown after ${countdownAfter} ms, wiped after ${wipedAfter} ms`);
  assert.ok(countdownAfter > 25000, `the countdown waited for the idle time (${countdownAfter} ms)`);
  await shot(k.page, 'k-wiped');
  const after = await leftovers(k.page);
  assert.deepEqual(after.databases, [], 'no IndexedDB database');
  assert.equal(after.localStorage, 0, 'localStorage empty');
  assert.equal(after.sessionStorage, 0, 'sessionStorage empty');
  assert.deepEqual(after.caches, [], 'Cache API empty');
  assert.equal(after.workers, 0, 'no service worker');
  assert.equal(after.textField, '', 'the hidden text field is empty');
  assert.equal(phraseInDom(after.html, visitor.phrase), null, 'no words of the phrase in the DOM');
  assert.equal((await state(k.page, 0)).kiosk.sessions_ended, 1);

  // Input during the countdown keeps the session; "End session" ends it at once.
  const again = await createAccount(k.page, 'Second visitor');
  await until(k.page, () => window.sessionTab.state(0).kiosk.ends_at_ms > 0, null, 60000);
  await click(k.page, 'kiosk.continue');
  await until(k.page, () => window.sessionTab.state(0).kiosk.ends_at_ms === 0);
  assert.equal((await state(k.page, 0)).account?.session_id, again.id, 'Continue keeps the session');
  await click(k.page, 'kiosk.end_session');
  await until(k.page, () => { const s = window.sessionTab.state(0); return !s.account && !s.loading && s.kiosk.sessions_ended === 2; });
  assert.equal(phraseInDom((await leftovers(k.page)).html, again.phrase), null);
  await k.page.reload();
  await until(k.page, () => Boolean(window.sessionTab?.firstFrameMs) && window.sessionTab.state(0).loading === false, null, 60000);
  const reloaded = await state(k.page, 0);
  assert.ok(!reloaded.account, 'a reload finds nothing');
  assert.equal(reloaded.onboarding.step, 'welcome');

  // The operator URL on a normal relay.
  const u = tabs.U = await openTab(browser, `${base}?kiosk=1`, 'U');
  assert.equal((await state(u.page, 0)).kiosk.active, true, '?kiosk=1 turns kiosk mode on');
  assert.equal((await state(b.page, 0)).kiosk.active, false, 'a normal page is not in kiosk mode');
  console.log('kiosk: ok');
} catch (error) {
  console.log(`kiosk failed: ${error.stack || error}`);
  await dumpTabs(tabs, out);
  process.exitCode = 1;
} finally {
  await browser.close();
  kioskRelay.kill();
}
