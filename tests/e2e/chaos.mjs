// A chaos run (issue 11): two browser contexts, A and B, chat through a local network while a
// seeded random scheduler breaks things around them, then every message is judged by what the
// two tabs show: delivered once, duplicated, lost, shown in the wrong order, stuck in "sending",
// failed (visibly marked, then retried through its Retry button as a person would).
//
//   tests/e2e/chaos_e2e.sh NATIVE_BUILD SITE ARTIFACTS [N]        (starts devnet + relay)
//   CHAOS_SEED=123 CHAOS_MESSAGES=300 tests/e2e/chaos_e2e.sh build/native build/wasm/wasm/site build/e2e-artifacts/chaos
//
// Faults (CHAOS_FAULTS=comma list, default all), each at a random step of the run:
//   reload      the sending tab reloads between Enter and "sent"
//   close       the sending tab closes with its message queued; it reopens CHAOS_REOPEN_STEPS later
//   relay       the relay stops; it starts again on the same port some steps later
//   node_store  a member of the recipient's swarm stops while the store is in flight
//   path_node   a node of the sending tab's onion path stops (half of them "unreachable")
//   swarm_move  the devnet moves the recipient's swarm (the next store gets 421)
//   node_skew   a node's clock runs 2 minutes ahead or behind
//   tab_skew    a tab's clock (Date.now, what the wasm's system_clock reads) runs 2 minutes off
//   devnet      the whole devnet stops and starts again later with its data (SIGTERM, same ports)
//   quota       an IndexedDB write transaction fails with QuotaExceededError (the store's test
//               switch, README "Storage faults"): at the Enter of a message, or at a random moment
// Durations are counted in steps (one message each), so a seed replays the same schedule.
// Environment: CHAOS_SEED, CHAOS_MESSAGES (or the 3rd argument), CHAOS_FAULT_RATE (0.35: chance
// of a fault per step), CHAOS_FAULT_STEPS (8: longest background fault), CHAOS_REOPEN_STEPS (60),
// CHAOS_GAP_MS (1500: longest random pause between two messages), CHAOS_SETTLE_MS (240000: how
// long the tabs get, after the last fault, to settle), CHAOS_QUOTA (any | enter, below),
// CHAOS_ASSERT=0 (print, do not fail).
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { click, frames, launch, until } from './support/browser.mjs';
import { admin, devnetControllable, startDevnet, status, stopDevnet, swarmOf } from './support/devnet.mjs';
import { relayControllable, startRelay, stopRelay } from './support/relay.mjs';
import { createAccount, dumpTabs, startConversation } from './support/session.mjs';

const base = process.argv[2] || 'http://127.0.0.1:8080/';
const out = process.argv[3] || 'build/e2e-artifacts/chaos';
const env = process.env;
const N = Number(process.argv[4] || env.CHAOS_MESSAGES || 300);
const SEED = env.CHAOS_SEED !== undefined ? Number(env.CHAOS_SEED) : Date.now() % 1000000;
const FAULT_RATE = Number(env.CHAOS_FAULT_RATE ?? 0.35);
const FAULT_STEPS = Number(env.CHAOS_FAULT_STEPS || 8);
const REOPEN_STEPS = Number(env.CHAOS_REOPEN_STEPS || 60);
const GAP_MS = Number(env.CHAOS_GAP_MS ?? 1500);
const SETTLE_MS = Number(env.CHAOS_SETTLE_MS || 240000);
const ASSERT = env.CHAOS_ASSERT !== '0';
// quota: 'any' (default) arms the fault at the Enter of a message or, half the time, at a random
// moment (whatever write comes next fails: often a poll's incoming messages); 'enter' only the former.
const QUOTA_AT = env.CHAOS_QUOTA || 'any';
const ALL_KINDS = ['reload', 'close', 'relay', 'node_store', 'path_node', 'swarm_move', 'node_skew',
  'tab_skew', 'devnet', 'quota'];
const NEEDS_RELAY = new Set(['relay']);
const NEEDS_DEVNET = new Set(['node_store', 'path_node', 'swarm_move', 'node_skew', 'devnet']);
let KINDS = (env.CHAOS_FAULTS || ALL_KINDS.join(',')).split(',').map((k) => k.trim()).filter(Boolean);
for (const k of KINDS) if (!ALL_KINDS.includes(k)) throw new Error(`unknown fault ${k} (known: ${ALL_KINDS})`);
if (!relayControllable()) KINDS = KINDS.filter((k) => !NEEDS_RELAY.has(k));
if (!devnetControllable()) KINDS = KINDS.filter((k) => !NEEDS_DEVNET.has(k));
const SKEW_MS = 120000;
const TABS = ['A', 'B'];
const PEER = { A: 'B', B: 'A' };

// mulberry32: a small seeded generator, so CHAOS_SEED replays the same schedule.
function rng32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng32(SEED);
const pick = (xs, r = random()) => xs[Math.floor(r * xs.length) % xs.length];

// ---------------------------------------------------------------------------------------------
// The schedule, drawn entirely before anything runs. Step i: the faults that end, the faults that
// start, then message i sent by one open tab (with a fault around its send, for the kinds that
// act on a send). The plan keeps to what a person could meet: a page cannot load while the relay
// (which serves it) is down, so no reload or reopen then; one tab stays open; the admin switches
// wait while the devnet itself is down.
function makePlan() {
  const steps = [];
  const open = { A: true, B: true };
  const reopenAt = {};
  let relayUntil = -1;   // relay down until this step (its start is an event of that step)
  let devnetUntil = -1;
  let nodesDown = 0;
  const ends = new Map();  // step → events
  const endAt = (step, ev) => { if (!ends.has(step)) ends.set(step, []); ends.get(step).push(ev); };
  const duration = () => 1 + Math.floor(random() * FAULT_STEPS);
  let deck = [];
  const shuffle = (xs) => {
    for (let k = xs.length - 1; k > 0; k--) { const j = Math.floor(random() * (k + 1)); [xs[k], xs[j]] = [xs[j], xs[k]]; }
    return xs;
  };
  for (let i = 0; i < N; i++) {
    const events = [...(ends.get(i) || [])];
    for (const ev of events) {
      if (ev.kind === 'relay') relayUntil = -1;
      if (ev.kind === 'devnet') devnetUntil = -1;
      if (ev.kind === 'node_store' || ev.kind === 'path_node') nodesDown--;
    }
    for (const t of TABS) {
      if (!open[t] && reopenAt[t] <= i && relayUntil < 0) {
        events.push({ kind: 'close', action: 'end', tab: t });
        open[t] = true;
      }
    }
    const senders = TABS.filter((t) => open[t]);
    const sender = pick(senders);
    const gap = random() * GAP_MS;
    let around = null;
    const draw = random();
    const r = [random(), random(), random()];
    const relayUp = relayUntil < 0;
    const devnetUp = devnetUntil < 0;
    const allowed = {
      reload: relayUp, close: relayUp && senders.length === TABS.length, relay: relayUp,
      node_store: devnetUp && nodesDown < 3, path_node: devnetUp && nodesDown < 3, swarm_move: devnetUp,
      node_skew: devnetUp, devnet: devnetUp, tab_skew: true, quota: true,
    };
    // Kinds are dealt from a shuffled deck, so a run has each about as often as the others.
    let kind = null;
    if (draw < FAULT_RATE) {
      if (!deck.length) deck = shuffle([...KINDS]);
      const k = deck.findIndex((x) => allowed[x]);
      if (k >= 0) kind = deck.splice(k, 1)[0];
    }
    if (kind) {
      const until = i + duration();
      if (kind === 'reload' && relayUp) around = { kind };
      else if (kind === 'close' && relayUp && senders.length === TABS.length) {
        around = { kind, until: i + Math.max(2, Math.round(REOPEN_STEPS * (0.5 + r[0] / 2))) };
        open[sender] = false;
        reopenAt[sender] = around.until;
      } else if (kind === 'quota') {
        if (r[0] < 0.5 || QUOTA_AT !== 'any') around = { kind, at: 'enter' };
        else events.push({ kind, action: 'start', tab: pick(senders, r[1]) });
      } else if (kind === 'node_store' && devnetUp && nodesDown < 3) {
        around = { kind, until, r };
        nodesDown++;
        endAt(until, { kind, action: 'end' });
      } else if (kind === 'relay' && relayUp) {
        events.push({ kind, action: 'start', until });
        relayUntil = until;
        endAt(until, { kind, action: 'end' });
      } else if (kind === 'path_node' && devnetUp && nodesDown < 3) {
        events.push({ kind, action: 'start', tab: sender, until, r });
        nodesDown++;
        endAt(until, { kind, action: 'end' });
      } else if (kind === 'swarm_move' && devnetUp) {
        events.push({ kind, action: 'start', tab: PEER[sender] });
      } else if (kind === 'node_skew' && devnetUp) {
        events.push({ kind, action: 'start', until, r });
        endAt(until, { kind, action: 'end' });
      } else if (kind === 'tab_skew') {
        events.push({ kind, action: 'start', tab: pick(TABS, r[0]), until, r });
        endAt(until, { kind, action: 'end' });
      } else if (kind === 'devnet' && devnetUp) {
        events.push({ kind, action: 'start', until });
        devnetUntil = until;
        endAt(until, { kind, action: 'end' });
      }
    }
    steps.push({ i, sender, gap, around, events, text: `c${SEED}-${i}` });
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
const t0 = Date.now();
const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s]`;
const log = (...xs) => console.log(stamp(), ...xs);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Tab clock skew: Date.now is what Emscripten's clock_gettime(CLOCK_REALTIME) calls each time
// (std::chrono::system_clock, st::SystemClock in wasm/client_host.cpp), so shifting it shifts the
// app's wall clock, as a wrong computer clock would; performance.now (steady_clock) stays true.
const CLOCK_OVERRIDE = `if (!window.__chaosRealNow) {
  const real = Date.now.bind(Date);
  window.__chaosRealNow = real;
  window.__chaosSkewMs = window.__chaosSkewMs || 0;
  Date.now = () => real() + window.__chaosSkewMs;
}`;

const tabs = {};        // name → { context, page, peer, id, phrase, skew }
const accounts = {};
const isOpen = (t) => Boolean(tabs[t].page);

function watch(name, page) {
  page.on('pageerror', (e) => console.log(`[${name}] pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Failed fetches are what the faults provoke (Chromium logs each); the verdict reads the
    // app's state instead.
    if (m.type() === 'error' && !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(m.text())) {
      console.log(`[${name}] ${m.text()}`);
    }
  });
}

const loaded = (page) => until(page, () => {
  const s = window.sessionTab && window.sessionTab.firstFrameMs && window.sessionTab.state(0);
  return s && !s.loading && s.account;
}, null, 60000);

// Opens the conversation with the peer (after a reload or a reopen), as a person would.
async function openConversation(t) {
  const { page } = tabs[t];
  const peer = accounts[PEER[t]].id;
  await until(page, (id) => window.sessionTab.state(0).conversations.some((c) => c.peer_session_id === id), peer, 60000);
  await click(page, `conversation.${peer}`);
  const o = await until(page, (id) => { const x = window.sessionTab.state(0).open; return x && x.peer_session_id === id && !x.loading && x; }, peer, 30000);
  // A message sent before a reload must not come back as a draft too (chat.mjs checks it once).
  if (o.draft) { draftsLeft.push(`${t}: "${o.draft}"`); log(`${t} reopened with a draft: "${o.draft}"`); }
  await frames(page, 3);
}
const draftsLeft = [];

async function reopen(t, conversation = true) {
  const tab = tabs[t];
  const page = await tab.context.newPage();
  watch(t, page);
  await page.goto(base);
  tab.page = page;
  if (!conversation) {
    await until(page, () => Boolean(window.sessionTab && window.sessionTab.firstFrameMs) &&
                            window.sessionTab.state(0).loading === false, null, 60000);
    return;
  }
  await loaded(page);
  await openConversation(t);
}

const stateOf = (t, max = 100000) => tabs[t].page.evaluate((m) => window.sessionTab.state(m), max);

async function setTabSkew(t, ms) {
  const tab = tabs[t];
  tab.skew = ms;
  // Later init scripts run after earlier ones: the last one sets the skew of every new document.
  await tab.context.addInitScript(`window.__chaosSkewMs = ${ms};`);
  if (tab.page) await tab.page.evaluate((x) => { window.__chaosSkewMs = x; }, ms);
}

// Scrolls the message list (mouse wheel over it, as a person would) until `done` holds.
async function wheelUntil(page, deltaY, done, limit = 400) {
  for (let k = 0; k < limit; k++) {
    if (await done()) return true;
    const bar = await page.evaluate(() => window.sessionTab.rect('messages.scrollbar'));
    if (!bar) return done();
    await page.mouse.move(bar.x - 200, bar.y + bar.h / 2);
    await page.mouse.wheel(0, deltaY);
    await frames(page, 2);
  }
  return done();
}

// Older pages come in as the list reaches its top (message_store.cpp, 100 a page): scroll up
// until the conversation has none left, then back to the latest.
async function loadAll(t) {
  const { page } = tabs[t];
  await wheelUntil(page, -4000, () => page.evaluate(() => !window.sessionTab.state(0).open.has_older));
  const jump = await page.evaluate(() => window.sessionTab.rect('messages.jump_latest'));
  if (jump) await click(page, 'messages.jump_latest');
}

// Brings a failed message's Retry button on screen and clicks it: back to the latest, then the
// wheel up (and, should it have gone past, down) until the button's centre is inside the list.
async function retry(t, id) {
  const { page } = tabs[t];
  const name = `message.${id}.retry`;
  const where = () => page.evaluate((n) => ({
    r: window.sessionTab.rect(n), bar: window.sessionTab.rect('messages.scrollbar'),
    jump: window.sessionTab.rect('messages.jump_latest'),
  }), name);
  const onScreen = async () => {
    const { r, bar } = await where();
    return Boolean(r && (!bar || (r.y + r.h / 2 > bar.y && r.y + r.h / 2 < bar.y + bar.h)));
  };
  if (!(await onScreen()) && (await where()).jump) await click(page, 'messages.jump_latest');
  if (!(await onScreen()) && !(await wheelUntil(page, -300, onScreen, 150)) &&
      !(await wheelUntil(page, 300, onScreen, 300))) {
    throw new Error(`Retry of ${id} never came on screen: ${JSON.stringify(await where())}`);
  }
  await click(page, name);
  if ((await where()).jump) await click(page, 'messages.jump_latest');
}

// Waits until the tab has finished `n` more requests to the relay after now (answered or failed).
async function moreRequests(t, n) {
  const since = Date.now();
  await until(tabs[t].page, ([s, k]) => window.sessionTab.fetchLog(s)
    .filter((r) => r.path.startsWith('/relay/') && r.end > 0).length >= k, [since, n], 90000);
}

// ---------------------------------------------------------------------------------------------
// Faults.
const active = { relay: false, devnet: false, stoppedNodes: [], skewedNodes: [] };
const faultCount = Object.fromEntries(ALL_KINDS.map((k) => [k, 0]));
const faultLog = [];   // { step, kind, what }
const note = (step, kind, what) => { faultLog.push({ step, kind, what, at: Date.now() - t0 }); log(`step ${step} ${kind}: ${what}`); };

async function nodeIndexOfHop(hop) {
  const m = /:(\d+) \(/.exec(hop || '');
  if (!m) return null;
  const st = await status();
  const n = st.nodes.find((x) => x.port === Number(m[1]));
  return n ? n.index : null;
}

async function stopNode(step, kind, index, unreachable) {
  await admin({ op: 'stop', node: index, ...(unreachable ? { unreachable: true } : {}) });
  active.stoppedNodes.push({ index, kind });
  note(step, kind, `node ${index} stopped${unreachable ? ' (unreachable)' : ''}`);
}

async function runEvent(step, ev) {
  if (ev.action === 'start') faultCount[ev.kind]++;
  switch (`${ev.kind}.${ev.action}`) {
    case 'close.end':
      await reopen(ev.tab);
      note(step, 'close', `${ev.tab} reopened`);
      break;
    case 'relay.start':
      await stopRelay(base);
      active.relay = true;
      note(step, 'relay', `stopped until step ${ev.until}`);
      break;
    case 'relay.end':
      await startRelay(base);
      active.relay = false;
      note(step, 'relay', 'started');
      break;
    case 'devnet.start':
      await stopDevnet();
      active.devnet = true;
      active.stoppedNodes = [];
      active.skewedNodes = [];
      note(step, 'devnet', `stopped until step ${ev.until}`);
      break;
    case 'devnet.end':
      await startDevnet();
      active.devnet = false;
      note(step, 'devnet', 'started again (same data)');
      break;
    case 'node_store.end':
    case 'path_node.end': {
      const k = active.stoppedNodes.findIndex((x) => x.kind === ev.kind);
      if (k < 0) break;  // a devnet restart started it already
      const [{ index }] = active.stoppedNodes.splice(k, 1);
      await admin({ op: 'start', node: index });
      note(step, ev.kind, `node ${index} started`);
      break;
    }
    case 'path_node.start': {
      if (!isOpen(ev.tab)) break;
      const path = (await stateOf(ev.tab, 0)).network.path;
      let index = await nodeIndexOfHop(pick(path, ev.r[0]));
      if (index === null) index = Math.floor(ev.r[0] * (await status()).nodes.length);
      if (active.stoppedNodes.some((x) => x.index === index)) break;
      await stopNode(step, 'path_node', index, ev.r[1] < 0.5);
      break;
    }
    case 'swarm_move.start':
      await admin({ op: 'move_swarms', pubkey: accounts[ev.tab].id });
      note(step, 'swarm_move', `${ev.tab}'s swarm moved`);
      break;
    case 'node_skew.start': {
      const nodes = (await status()).nodes;
      const index = Math.floor(ev.r[0] * nodes.length);
      const ms = ev.r[1] < 0.5 ? -SKEW_MS : SKEW_MS;
      await admin({ op: 'clock_skew', node: index, ms });
      active.skewedNodes.push(index);
      note(step, 'node_skew', `node ${index} clock ${ms > 0 ? '+' : ''}${ms / 1000} s`);
      break;
    }
    case 'node_skew.end': {
      const index = active.skewedNodes.shift();
      if (index === undefined) break;
      await admin({ op: 'clock_skew', node: index, ms: 0 });
      note(step, 'node_skew', `node ${index} clock right`);
      break;
    }
    case 'tab_skew.start': {
      const ms = ev.r[1] < 0.5 ? -SKEW_MS : SKEW_MS;
      await setTabSkew(ev.tab, ms);
      note(step, 'tab_skew', `${ev.tab} clock ${ms > 0 ? '+' : ''}${ms / 1000} s`);
      tabSkews.push(ev.tab);
      break;
    }
    case 'tab_skew.end': {
      const t = tabSkews.shift();
      if (t === undefined) break;
      await setTabSkew(t, tabSkews.includes(t) ? tabs[t].skew : 0);
      note(step, 'tab_skew', `${t} clock right`);
      break;
    }
    case 'quota.start':
      if (!isOpen(ev.tab)) break;
      await tabs[ev.tab].page.evaluate(() => { window.sessionTabStoreFaults = { quota: 1 }; });
      quotaArmed.push(ev.tab);
      note(step, 'quota', `${ev.tab}: its next IndexedDB write fails (quota exceeded)`);
      break;
    default:
      throw new Error(`no handler for ${ev.kind}.${ev.action}`);
  }
}
const tabSkews = [];
const quotaArmed = [];  // tabs given a quota fault at a random moment (until the next message)

// Ends every fault still on (the relay and the devnet back, nodes started, clocks right, closed
// tabs reopened, no store fault armed).
async function endAll(step) {
  if (active.relay) await runEvent(step, { kind: 'relay', action: 'end' });
  if (active.devnet) await runEvent(step, { kind: 'devnet', action: 'end' });
  if (devnetControllable()) await admin({ op: 'reset' });
  active.stoppedNodes = [];
  active.skewedNodes = [];
  for (const t of TABS) {
    if (!isOpen(t)) await runEvent(step, { kind: 'close', action: 'end', tab: t });
    if (tabs[t].skew) await setTabSkew(t, 0);
    await tabs[t].page.evaluate(() => { window.sessionTabStoreFaults = { quota: 0 }; });
  }
  tabSkews.length = 0;
  note(step, 'all', 'every fault ended');
}

// ---------------------------------------------------------------------------------------------
// One message: typed into the sender's composer, Enter, then the fault around it (if any).
const messages = [];   // { i, text, sender, recipient, around, atEnter, faults }
const retried = [];    // texts of the messages retried with their Retry button

async function sendStep(step) {
  const t = step.sender;
  const { page } = tabs[t];
  const msg = { i: step.i, text: step.text, sender: t, recipient: PEER[t], around: step.around?.kind || null,
    faults: [active.relay && 'relay', active.devnet && 'devnet', ...active.stoppedNodes.map((x) => `${x.kind}:${x.index}`),
      ...active.skewedNodes.map((x) => `node_skew:${x}`), ...tabSkews.map((x) => `tab_skew:${x}`),
      ...quotaArmed.splice(0).map((x) => `quota:${x}`)].filter(Boolean) };
  messages.push(msg);
  await page.keyboard.type(step.text);
  await frames(page);
  if (step.around?.kind === 'quota') {
    await page.evaluate(() => { window.sessionTabStoreFaults = { quota: 1 }; });
    faultCount.quota++;
    note(step.i, 'quota', `${t}: the write of ${step.text} fails (quota exceeded)`);
  }
  const tEnter = Date.now();
  msg.enterMs = tEnter;
  await page.keyboard.press('Enter');
  const shown = await until(page, (x) => window.sessionTab.state(60).open?.messages.find((m) => m.body === x && m.outgoing), step.text, 30000)
    .catch(() => null);
  if (!shown) {
    msg.notShown = true;
    log(`step ${step.i}: ${step.text} typed and sent with Enter never showed in ${t}`);
    return;
  }
  msg.atEnter = shown.delivery;
  const kind = step.around?.kind;
  if (kind === 'reload') {
    faultCount.reload++;
    const d = (await stateOf(t, 60)).open.messages.find((m) => m.body === step.text)?.delivery;
    await page.reload();
    note(step.i, 'reload', `${t} reloaded with ${step.text} "${d}"`);
    await loaded(page);
    await openConversation(t);
  } else if (kind === 'close') {
    faultCount.close++;
    const d = (await stateOf(t, 60)).open.messages.find((m) => m.body === step.text)?.delivery;
    await page.close();
    tabs[t].page = null;
    note(step.i, 'close', `${t} closed with ${step.text} "${d}", reopens at step ${step.around.until}`);
  } else if (kind === 'quota') {
    // The person sees "Not sent" with its reason and presses Retry before writing on (a failed
    // message is not stored: a reload before Retry takes it off the screen, see README).
    // Another write may have taken the fault first (a poll's): once the fault is used up, the
    // failure (if it was this message's) comes with the transaction's abort, within moments.
    await until(page, () => !(window.sessionTabStoreFaults && window.sessionTabStoreFaults.quota > 0), null, 30000)
      .catch(() => null);
    const failed = await until(page, (x) => window.sessionTab.state(60).open.messages
      .find((m) => m.body === x && m.delivery === 'failed'), step.text, 5000).catch(() => null);
    if (!failed) note(step.i, 'quota', `${t}: another write took the fault; ${step.text} was not failed`);
    if (failed) {
      assert.ok(failed.failure_text, `${step.text} failed without a reason shown`);
      await retry(t, failed.id);
      retried.push(step.text);
      note(step.i, 'quota', `${t}: ${step.text} shown "${failed.failure_text}", Retry pressed`);
    }
  } else if (kind === 'node_store') {
    faultCount.node_store++;
    // "Mid-store": once a request of this tab that started after Enter is in flight.
    await until(page, (s) => window.sessionTab.fetchLog(s).some((r) => r.path.startsWith('/relay/onion')), tEnter, 10000)
      .catch(() => null);
    const swarm = await swarmOf(accounts[PEER[t]].id);
    const candidates = swarm.filter((x) => !active.stoppedNodes.some((s) => s.index === x));
    if (candidates.length) {
      await stopNode(step.i, 'node_store', pick(candidates, step.around.r[0]), step.around.r[1] < 0.5);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The verdict, from what the tabs show.
const orders = {};   // tab → the message numbers in the order the tab shows them (last judge)
function judge(states) {
  const rows = [];
  const order = {};
  for (const t of TABS) {
    const shown = states[t].open.messages.filter((m) => m.body.startsWith(`c${SEED}-`));
    const seq = shown.map((m) => Number(m.body.slice(`c${SEED}-`.length)));
    // Messages outside the longest increasing run of Enter order are shown in the wrong order.
    const lisKeep = lis(seq);
    order[t] = new Set(seq.filter((_, k) => !lisKeep.has(k)));
    orders[t] = seq;
  }
  for (const m of messages) {
    const mine = states[m.sender].open.messages.filter((x) => x.body === m.text && x.outgoing);
    const theirs = states[m.recipient].open.messages.filter((x) => x.body === m.text && !x.outgoing);
    const delivery = mine[0]?.delivery;
    // The timestamp each side shows against the true time of the Enter key (this process and the
    // browser share the machine's clock; the tab's skew is only inside the page).
    const offset = (x) => (x ? Math.round((x.sent_ms - m.enterMs) / 1000) : null);
    const r = { ...m, senderCopies: mine.length, recipientCopies: theirs.length, delivery,
      stampS: [offset(mine[0]), offset(theirs[0])],
      failureText: mine[0]?.failure_text, id: mine[0]?.id,
      wrongOrder: order[m.sender].has(m.i) || order[m.recipient].has(m.i) };
    r.duplicated = mine.length > 1 || theirs.length > 1;
    r.stuck = delivery === 'sending';
    r.failed = delivery === 'failed';
    r.lost = !r.duplicated && (mine.length === 0 || (theirs.length === 0 && !r.failed && !r.stuck));
    r.once = mine.length === 1 && theirs.length === 1 && (delivery === 'sent' || delivery === 'read');
    rows.push(r);
  }
  return rows;
}

// Indices of one longest strictly increasing subsequence of xs.
function lis(xs) {
  const tails = [];
  const prev = new Array(xs.length).fill(-1);
  for (let k = 0; k < xs.length; k++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[tails[mid]] < xs[k]) lo = mid + 1; else hi = mid; }
    if (lo > 0) prev[k] = tails[lo - 1];
    tails[lo] = k;
  }
  const keep = new Set();
  for (let k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) keep.add(k);
  return keep;
}

function table(title, rows, retried) {
  const count = (f) => rows.filter(f).length;
  const cols = [
    ['messages', rows.length], ['delivered once', count((r) => r.once)], ['duplicated', count((r) => r.duplicated)],
    ['lost', count((r) => r.lost)], ['wrong order', count((r) => r.wrongOrder)],
    ['stuck sending', count((r) => r.stuck)], ['failed', count((r) => r.failed)], ['retried', retried],
  ];
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [title, line(cols.map(([k]) => k)), line(cols.map(([k]) => '-'.repeat(k.length))),
    line(cols.map(([k, v]) => String(v).padStart(k.length)))].join('\n');
}

// ---------------------------------------------------------------------------------------------
await mkdir(out, { recursive: true });
const plan = makePlan();
console.log(`chaos seed ${SEED} (CHAOS_SEED=${SEED} replays this schedule), ${N} messages, faults: ${KINDS.join(' ')}`);
const browser = await launch();
let failedRun = null;
let verdict = null;
try {
  for (const t of TABS) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(CLOCK_OVERRIDE);
    tabs[t] = { context, page: null, skew: 0 };
    await reopen(t, false);
  }
  accounts.A = await createAccount(tabs.A.page, 'Chaos A');
  accounts.B = await createAccount(tabs.B.page, 'Chaos B');
  // Each starts the conversation with the other (starting it approves the peer), and keeps it open.
  await startConversation(tabs.B.page, accounts.A.id);
  await startConversation(tabs.A.page, accounts.B.id);
  log('accounts', accounts.A.id.slice(0, 10), accounts.B.id.slice(0, 10));

  for (const step of plan) {
    // The scheduler's random pause: the moment of the next fault or message, drawn from the seed.
    if (step.gap > 0) await sleep(step.gap);
    for (const ev of step.events) await runEvent(step.i, ev);
    await sendStep(step);
  }
  await endAll(N);

  // After the faults: every message must end "sent" or visibly failed; failed ones are retried
  // with their Retry button. Bounded by CHAOS_SETTLE_MS; the verdict says what was left.
  for (const t of TABS) await loadAll(t);
  const retries = new Map();
  const deadline = Date.now() + SETTLE_MS;
  let rows;
  for (;;) {
    const states = { A: await stateOf('A'), B: await stateOf('B') };
    rows = judge(states);
    const failed = rows.filter((r) => r.failed && r.senderCopies === 1);
    for (const r of failed) {
      if ((retries.get(r.text) || 0) >= 3) continue;
      assert.ok(r.failureText, `${r.text} failed without a reason shown`);
      log(`retrying ${r.text} in ${r.sender} ("${r.failureText}")`);
      await retry(r.sender, r.id);
      retries.set(r.text, (retries.get(r.text) || 0) + 1);
      retried.push(r.text);
    }
    const settled = rows.every((r) => (r.once || r.duplicated || r.notShown ||
      (r.failed && (retries.get(r.text) || 0) >= 3)));
    if (settled || Date.now() > deadline) break;
    await Promise.all(TABS.map((t) => moreRequests(t, 1)));  // the next network round of each tab
  }
  // A few more polls on both sides: a message must not arrive twice late.
  await Promise.all(TABS.map((t) => moreRequests(t, 3)));
  const live = judge({ A: await stateOf('A'), B: await stateOf('B') });
  // And what the tabs keep: both reload, and the conversation is read again from IndexedDB.
  for (const t of TABS) {
    await tabs[t].page.reload();
    await loaded(tabs[t].page);
    await openConversation(t);
    await loadAll(t);
  }
  const kept = judge({ A: await stateOf('A'), B: await stateOf('B') });
  verdict = { live, kept, retried };
  for (const text of retried) if (!retries.has(text)) retries.set(text, 1);

  console.log(`\nfaults injected (seed ${SEED}): ${Object.entries(faultCount).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (draftsLeft.length) console.log(`drafts found after reloads/reopens: ${draftsLeft.join(', ')}`);
  console.log(table(`\nafter the faults ended (live tabs), seed ${SEED}:`, live, retried.length));
  console.log(table('\nafter reloading both tabs:', kept, retried.length));
  const bad = kept.filter((r) => !r.once || r.wrongOrder).concat(live.filter((r) => !r.once || r.wrongOrder));
  const seen = new Set();
  for (const r of bad) {
    if (seen.has(r.text)) continue;
    seen.add(r.text);
    const l = live.find((x) => x.text === r.text);
    const k = kept.find((x) => x.text === r.text);
    console.log(`  ${r.text} ${r.sender}→${r.recipient} step ${r.i} around=${r.around || '-'} faults=[${r.faults.join(',')}] ` +
      `atEnter=${r.atEnter} stamp-Enter(s) sender/recipient ${k.stampS.join('/')} live: ${l.delivery} ${l.senderCopies}/${l.recipientCopies}${l.wrongOrder ? ' wrong-order' : ''} ` +
      `kept: ${k.delivery} ${k.senderCopies}/${k.recipientCopies}${k.wrongOrder ? ' wrong-order' : ''}` +
      `${r.failureText ? ` "${r.failureText}"` : ''}${retries.get(r.text) ? ` retried ${retries.get(r.text)}` : ''}`);
  }
  if (bad.some((r) => r.wrongOrder)) for (const t of TABS) console.log(`  ${t} shows (after reload): ${orders[t].join(' ')}`);
  await writeFile(join(out, 'chaos.json'), JSON.stringify({ seed: SEED, n: N, kinds: KINDS, faultCount, faultLog, plan, verdict }, null, 1));
} catch (error) {
  failedRun = error;
  await dumpTabs(Object.fromEntries(TABS.filter((t) => tabs[t]?.page).map((t) => [t, tabs[t]])), out);
} finally {
  await browser.close();
}
if (failedRun) throw failedRun;
if (ASSERT) {
  for (const [name, rows] of [['live', verdict.live], ['after reload', verdict.kept]]) {
    const bad = (f) => rows.filter(f).map((r) => r.text).join(' ');
    assert.equal(bad((r) => r.lost), '', `${name}: lost`);
    assert.equal(bad((r) => r.duplicated), '', `${name}: duplicated`);
    assert.equal(bad((r) => r.stuck), '', `${name}: stuck in "sending"`);
    assert.equal(bad((r) => r.failed), '', `${name}: still failed after Retry`);
  }
  console.log('ok   chaos: 0 lost, 0 duplicated, 0 stuck, none left failed');
}
