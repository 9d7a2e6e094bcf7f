// Contacts end to end in Chromium against a running Session Tab (chat_e2e.sh starts a fresh devnet
// and relay): three browser contexts, A (Alice), B (Bob) and C (Carol), act like people through
// window.sessionTab (named widget rectangles → mouse and keyboard, typing at machine speed):
//   - C's first message to B lands in B's message requests, not in B's conversation list, and C
//     sees its request pending; B accepts → C's side is approved;
//   - A and B turn on typing indicators and read receipts in Settings; while A types, B shows
//     "typing…", and it goes away once A's message arrives; B reading A's message turns A's
//     bubble to Read (behaviour, not timings: each step waits for its event with a generous
//     deadline, so a loaded machine is slower but not failed);
//   - B blocks A → A's next message never appears at B (checked after several of B's polls);
//   - B's settings (switches, the block) survive a reload;
//   - links (#/dm/<Session ID>): an offer for a stranger, a held conversation opens, a bad link
//     says why and changes nothing.
// Screenshots of each screen go to the artifacts folder.
//   node tests/e2e/contacts.mjs http://127.0.0.1:8080/ [artifacts dir]
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { click, frames, launch, state, until, widget } from './support/browser.mjs';
import { createAccount, dumpTabs, openTab, send, startConversation } from './support/session.mjs';

const base = process.argv[2] || 'http://127.0.0.1:8080/';
const out = process.argv[3] || 'build/e2e-artifacts/contacts';
await mkdir(out, { recursive: true });
const browser = await launch();
const shot = async (page, name) => { await frames(page, 2); await page.screenshot({ path: join(out, `${name}.png`) }); };
const results = {};
const tabs = {};

// The page's state with the newest `max` messages of the open conversation.
const has = (list, id) => list.some((c) => c.peer_session_id === id);

// Opens Settings, turns both privacy switches on (each waits for the core to say so), closes it.
async function privacyOn(page, name) {
  await click(page, 'sidebar.settings');
  await widget(page, 'settings.typing');
  if (!(await state(page, 0)).settings.typing_indicators) await click(page, 'settings.typing');
  await until(page, () => window.sessionTab.state(0).settings.typing_indicators === true);
  if (!(await state(page, 0)).settings.read_receipts) await click(page, 'settings.read_receipts');
  await until(page, () => window.sessionTab.state(0).settings.read_receipts === true);
  await shot(page, `${name}-settings`);
  await click(page, 'panel.close');
}

// Opens the requests list, then the request from `peer`, and accepts it.
async function acceptRequest(page, peer, shots) {
  await click(page, 'sidebar.requests');
  await widget(page, `request.${peer}`);
  if (shots) await shot(page, 'b-requests-list');
  await click(page, `request.${peer}`);
  await until(page, (p) => { const o = window.sessionTab.state(0).open; return o?.peer_session_id === p && o.is_request; }, peer);
  await widget(page, 'request.accept');
  if (shots) await shot(page, 'b-request-open');
  await click(page, 'request.accept');
  await until(page, (p) => { const s = window.sessionTab.state(0);
    return s.open?.peer_session_id === p && !s.open.is_request && s.conversations.some((c) => c.peer_session_id === p) &&
      !s.requests.some((c) => c.peer_session_id === p); }, peer);
  await click(page, 'requests.back');
}

try {
  const a = tabs.A = await openTab(browser, base, 'A');
  const b = tabs.B = await openTab(browser, base, 'B');
  const c = tabs.C = await openTab(browser, base, 'C');
  const alice = await createAccount(a.page, 'Alice');
  const bob = await createAccount(b.page, 'Bob');
  const carol = await createAccount(c.page, 'Carol');
  console.log('accounts', alice.id.slice(0, 10), bob.id.slice(0, 10), carol.id.slice(0, 10));

  // C writes to B first: a request at B, pending at C.
  await startConversation(c.page, bob.id);
  await send(c.page, 'Hi Bob, Carol here. We met at the conference.');
  await until(c.page, () => window.sessionTab.state(1).open.messages[0]?.delivery === 'sent', null, 60000);
  assert.equal((await state(c.page, 0)).open.awaiting_approval, true, 'C waits for B to accept');
  await shot(c.page, 'c-awaiting-approval');
  const inRequests = await until(b.page, (p) => { const s = window.sessionTab.state(0); return s.requests.some((c) => c.peer_session_id === p) && s; }, carol.id, 90000);
  assert.ok(!has(inRequests.conversations, carol.id), 'a request is not in the conversation list');
  await widget(b.page, 'sidebar.requests');
  await shot(b.page, 'b-requests-row');
  console.log('ok   C → B lands in B\'s message requests');

  // B accepts: C learns it (MessageRequestResponse) and is no longer waiting.
  await acceptRequest(b.page, carol.id, true);
  await until(c.page, () => window.sessionTab.state(0).open?.awaiting_approval === false, null, 90000);
  await shot(c.page, 'c-approved');
  console.log('ok   B accepts → C is approved');

  // A writes to B (another request), B accepts; both turn typing indicators and read receipts on.
  await startConversation(a.page, bob.id);
  await send(a.page, 'Hello Bob, it is Alice.');
  await until(b.page, (p) => window.sessionTab.state(0).requests.some((c) => c.peer_session_id === p), alice.id, 90000);
  await acceptRequest(b.page, alice.id, false);
  await privacyOn(a.page, 'a');
  await privacyOn(b.page, 'b');
  // B's Settings close onto A's conversation, which B reads from here on.
  await until(b.page, (p) => window.sessionTab.state(0).open?.peer_session_id === p, alice.id);
  await widget(b.page, 'composer.input');
  console.log('ok   typing indicators and read receipts on at A and B');

  // A types (no Enter) and keeps typing, as a person composing a message does, until B shows
  // "typing…". Without the extra keys A would send typing STOPPED after 5 s of no input
  // (kTypingIdle in core/src/app/account_session.cpp), and on a slow poll B could receive both
  // at once and never show it. The cadence of those keys is the person's, not a time limit.
  const readText = 'Bob, are you reading this?';
  await click(a.page, 'composer.input');
  const t0 = Date.now();
  await a.page.keyboard.type(readText);
  const typingDeadline = Date.now() + 120000;
  let extraSpace = false;  // a space typed to keep typing; taken back before sending
  while (!(await b.page.evaluate(() => window.sessionTab.state(0).open?.typing === true))) {
    if (Date.now() > typingDeadline) throw new Error('B never showed "typing…" while A typed (120 s)');
    await a.page.keyboard.press(extraSpace ? 'Backspace' : 'Space');
    extraSpace = !extraSpace;
    await new Promise((r) => setTimeout(r, 500));
  }
  results.typingShownMs = Date.now() - t0;  // reported, not judged
  if (extraSpace) await a.page.keyboard.press('Backspace');
  {
    // Where the time went: A's stores (typing STARTED is one) and B's polls since the first key.
    const onion = (r) => r.path.startsWith('/relay/onion');
    const [aLog, bLog] = await Promise.all([a.page, b.page].map((p) => p.evaluate((t) => window.sessionTab.fetchLog(t), t0)));
    results.typingTrace = {
      aStores: aLog.filter((r) => onion(r) && r.sent < 2300).map((r) => [Math.round(r.start - t0), Math.round(r.end - t0)]),
      bPolls: bLog.filter(onion).map((r) => [Math.round(r.start - t0), Math.round(r.end - t0)]),
    };
  }
  await shot(b.page, 'b-typing');
  console.log(`ok   A typing shows "typing…" at B (after ${results.typingShownMs} ms)`);

  // A sends; B has the conversation open, so reads it, and "typing…" goes away (their message
  // ends it); A's bubble says Read.
  await a.page.keyboard.press('Enter');
  await until(b.page, (x) => window.sessionTab.state(5).open.messages.some((m) => m.body === x), readText, 90000);
  await until(b.page, () => window.sessionTab.state(0).open?.typing === false, null, 90000);
  console.log('ok   "typing…" goes away at B once A\'s message arrived');
  const tRead = Date.now();
  await until(a.page, (x) => window.sessionTab.state(5).open.messages.some((m) => m.body === x && m.delivery === 'read'), readText, 90000);
  results.readShownMs = Date.now() - tRead;
  await shot(a.page, 'a-read');
  console.log(`ok   B read A's message → A shows Read (${results.readShownMs} ms after B had it)`);

  // B blocks A from the conversation header (asks first).
  await click(b.page, 'conversation.title');
  await click(b.page, 'contact.block');
  await widget(b.page, 'contact.block_confirm');
  await shot(b.page, 'b-block-confirm');
  await click(b.page, 'contact.block_confirm');
  await until(b.page, () => window.sessionTab.state(0).open?.blocked === true);
  await click(b.page, 'conversation.title');  // close the contact panel
  await shot(b.page, 'b-blocked');
  const blockedText = 'Message after the block';
  await send(a.page, blockedText);
  await until(a.page, (x) => window.sessionTab.state(5).open.messages.some((m) => m.body === x && m.delivery !== 'sending'), blockedText, 60000);
  const tStored = Date.now();
  // Several of B's polls after A's message was stored: B's swarm had it to give each time.
  await until(b.page, (t) => window.sessionTab.fetchLog(t).filter((r) => r.path.startsWith('/relay/onion') && r.end > 0).length >= 6, tStored, 90000);
  const afterBlock = await state(b.page, 50);
  assert.ok(!afterBlock.open.messages.some((m) => m.body === blockedText), 'a blocked contact\'s message is not shown');
  assert.ok(!afterBlock.conversations.some((c) => c.last_message === blockedText), 'nor previewed');
  assert.ok(!has(afterBlock.requests, alice.id), 'nor turned into a request');
  console.log('ok   B blocked A → A\'s next message never appears at B');

  // Settings survive a reload.
  await b.page.reload();
  await until(b.page, () => { const s = window.sessionTab && window.sessionTab.firstFrameMs && window.sessionTab.state(0); return s && !s.loading && s.account; }, null, 60000);
  const reloaded = await state(b.page, 0);
  assert.equal(reloaded.settings.typing_indicators, true);
  assert.equal(reloaded.settings.read_receipts, true);
  assert.ok(reloaded.settings.blocked.some((x) => x.session_id === alice.id), 'A is still blocked');
  await click(b.page, 'sidebar.settings');
  await widget(b.page, `settings.unblock.${alice.id}`);
  await shot(b.page, 'b-settings-after-reload');
  console.log('ok   B\'s settings and block survive a reload');

  // The recovery phrase, shown after a warning, is gone from the state once Settings is left.
  await click(b.page, 'settings.reveal');
  await widget(b.page, 'settings.reveal_confirm');
  await click(b.page, 'settings.reveal_confirm');
  await until(b.page, () => window.sessionTab.state(0).settings.recovery_phrase_shown === true);
  assert.equal((await state(b.page, 0)).settings.recovery_phrase, bob.phrase);
  await click(b.page, 'panel.close');
  await until(b.page, () => window.sessionTab.state(0).settings.recovery_phrase === '');
  console.log('ok   recovery phrase shown again after a warning, hidden on leaving Settings');

  // Links (docs/links.md): to a stranger, an offer (New conversation filled in), started by a
  // click; to a held conversation, it opens; a bad link says why and changes nothing.
  const hash = (page, h) => page.evaluate((x) => { location.hash = x; }, h);
  await hash(a.page, `/dm/${carol.id}`);
  await until(a.page, (id) => window.sessionTab.state(0).link.offer_session_id === id, carol.id);
  await widget(a.page, 'new_conversation.start');
  assert.ok(!has((await state(a.page, 0)).conversations, carol.id), 'a link alone starts nothing');
  await shot(a.page, 'a-link-offer');
  await click(a.page, 'new_conversation.start');
  await until(a.page, (id) => window.sessionTab.state(0).open?.peer_session_id === id, carol.id);
  await hash(a.page, `/dm/${bob.id}`);
  await until(a.page, (id) => window.sessionTab.state(0).open?.peer_session_id === id, bob.id);
  await hash(a.page, '/dm/05zz');
  const refused = await until(a.page, () => { const s = window.sessionTab.state(0); return s.link.problem && s; });
  assert.equal(refused.link.problem.code, 'session_id.bad_character');
  assert.equal(refused.open.peer_session_id, bob.id, 'a bad link changes nothing');
  await widget(a.page, 'link.problem');
  await shot(a.page, 'a-link-refused');
  await click(a.page, 'link.dismiss');
  await until(a.page, () => window.sessionTab.state(0).link.problem === null);
  console.log('ok   links: an offer for a stranger, a held conversation opens, a bad link says why');
} catch (error) {
  console.log(`FAIL ${error.stack || error}`);
  await dumpTabs(tabs, out);
  process.exitCode = 1;
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
