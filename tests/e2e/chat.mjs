// End-to-end in Chromium against a running Session Tab (tools/run, or relay + devnet started by
// hand): two browser contexts create two accounts; A starts a conversation with B's Session ID and
// sends; B sees it and replies; A sees the reply; a reload keeps account, conversation and history;
// an account restored from its phrase in a fresh context receives what is still in its swarm.
// Also measures tab → tab delivery latency over 20 messages (from the Enter key in A to the
// message in B's state) and memory after them.
//   node tests/e2e/chat.mjs http://127.0.0.1:8080/ [artifacts dir]
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { click, frames, launch, state, until, widget } from './support/browser.mjs';

const base = process.argv[2] || 'http://127.0.0.1:8080/';
const out = process.argv[3] || 'build/e2e-artifacts/chat';
await mkdir(out, { recursive: true });
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(out, `${name}.png`) });
const results = {};

async function open(name) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[${name}] pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.log(`[${name}] ${m.text()}`); });
  const t0 = Date.now();
  await page.goto(base);
  await until(page, () => Boolean(window.sessionTab && window.sessionTab.firstFrameMs), null, 60000);
  results[`${name}.firstFrameMs`] = await page.evaluate(() => window.sessionTab.firstFrameMs);
  await until(page, () => window.sessionTab.state(0).loading === false, null, 60000);
  return { context, page, t0 };
}

async function createAccount(page, displayName) {
  await click(page, 'onboarding.create');
  const phrase = (await state(page, 0)).onboarding.phrase;
  assert.equal(phrase.split(' ').length, 13);
  await click(page, 'onboarding.saved');
  await widget(page, 'onboarding.name_input');
  await frames(page);
  await page.keyboard.type(displayName);
  await page.keyboard.press('Enter');
  const s = await until(page, () => { const s = window.sessionTab.state(0); return s.account && s; }, null, 60000);
  return { phrase, id: s.account.session_id };
}

async function send(page, text) {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

try {
  const a = await open('A');
  const b = await open('B');
  const alice = await createAccount(a.page, 'Alice');
  const bob = await createAccount(b.page, 'Bob Ελένη');
  console.log('accounts', alice.id.slice(0, 10), bob.id.slice(0, 10));

  // A starts a conversation with B's Session ID and sends.
  await click(a.page, 'sidebar.new');
  await widget(a.page, 'new_conversation.input');
  await frames(a.page);
  await a.page.keyboard.insertText(bob.id);
  await click(a.page, 'new_conversation.start');
  await until(a.page, (id) => window.sessionTab.state(0).open?.peer_session_id === id, bob.id);
  await frames(a.page, 3);
  await send(a.page, 'Hi Bob, ça va? Привет!');
  await until(a.page, () => window.sessionTab.state(1).open.messages[0]?.delivery === 'sent', null, 60000);
  await shot(a.page, 'a-sent');

  // B sees it, opens it, replies.
  await until(b.page, (id) => window.sessionTab.state(0).conversations.some((c) => c.peer_session_id === id), alice.id, 90000);
  await click(b.page, `conversation.${alice.id}`);
  await until(b.page, () => window.sessionTab.state(5).open?.messages.some((m) => m.body === 'Hi Bob, ça va? Привет!'), null, 30000);
  await frames(b.page, 3);
  await send(b.page, 'Hi Alice! Xin chào.');
  await shot(b.page, 'b-replied');
  await until(a.page, () => window.sessionTab.state(5).open.messages.some((m) => !m.outgoing && m.body === 'Hi Alice! Xin chào.'), null, 90000);
  await shot(a.page, 'a-got-reply');
  console.log('ok   A → B → A');

  // Tab → tab latency: A sends 20 messages one at a time; time until B's state shows each.
  const latencies = [];
  const sentAfter = [];
  const probes = Number(process.env.PROBES || 20);
  for (let i = 0; i < probes; i++) {
    const text = `latency probe ${i}`;
    await a.page.keyboard.type(text);  // typing is not part of the delivery time
    await frames(a.page);
    const t = Date.now();
    await a.page.keyboard.press('Enter');
    await until(a.page, (x) => window.sessionTab.state(3).open.messages.some((m) => m.body === x && m.delivery === 'sent'), text, 60000);
    sentAfter.push(Date.now() - t);
    await until(b.page, (x) => window.sessionTab.state(3).open.messages.some((m) => m.body === x), text, 60000);
    latencies.push(Date.now() - t);
  }
  console.log('send → sent (ms):', sentAfter.join(' '));
  console.log('send → received (ms):', latencies.join(' '));
  latencies.sort((x, y) => x - y);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  results.latencyMs = { p50: at(0.5), p95: at(0.95), max: latencies[latencies.length - 1] };
  console.log(`ok   ${probes} messages delivered`, JSON.stringify(results.latencyMs));

  // A reload keeps the account, the conversation and its history.
  await a.page.reload();
  await until(a.page, () => { const s = window.sessionTab && window.sessionTab.firstFrameMs && window.sessionTab.state(0); return s && !s.loading && s.account; }, null, 60000);
  const after = await state(a.page, 0);
  assert.equal(after.account.session_id, alice.id);
  assert.ok(after.conversations.some((c) => c.peer_session_id === bob.id));
  await click(a.page, `conversation.${bob.id}`);
  await until(a.page, () => window.sessionTab.state(100).open?.messages.length >= 2, null, 30000);
  await shot(a.page, 'a-after-reload');
  console.log('ok   reload keeps account, conversation and history');
  results.memory = await b.page.evaluate(() => window.sessionTab.memory());

  // B's account restored from its phrase in a fresh context receives what is in its swarm.
  const c = await open('C');
  await click(c.page, 'onboarding.restore');
  await widget(c.page, 'onboarding.phrase_input');
  await frames(c.page);
  await c.page.keyboard.insertText(bob.phrase);
  await click(c.page, 'onboarding.restore_submit');
  await until(c.page, () => window.sessionTab.state(0).onboarding.step === 'choose_name' || window.sessionTab.state(0).account, null, 60000);
  if (!(await state(c.page, 0)).account) {
    await widget(c.page, 'onboarding.name_input');
    await frames(c.page);
    await c.page.keyboard.type('Bob again');
    await c.page.keyboard.press('Enter');
  }
  await until(c.page, (id) => window.sessionTab.state(0).conversations.some((x) => x.peer_session_id === id), alice.id, 90000);
  await click(c.page, `conversation.${alice.id}`);
  await until(c.page, () => window.sessionTab.state(50).open?.messages.some((m) => m.body === 'Hi Bob, ça va? Привет!'), null, 60000);
  await shot(c.page, 'c-restored');
  console.log('ok   restored account receives its swarm');
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
