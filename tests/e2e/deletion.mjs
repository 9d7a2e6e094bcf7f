// Deletion end to end in Chromium against a running Session Tab (chat_e2e.sh starts a fresh devnet
// and relay; the devnet build offers the 10 s / 30 s / 1 min test timers). Two browser contexts,
// A (Alice) and B (Bob), each with its own IndexedDB kept across reloads, act like people through
// window.sessionTab (named widget rectangles → mouse and keyboard, at machine speed):
//   - A sets "disappear after send: 10 s" from the conversation's timer button → both tabs show
//     the setting and its notice line;
//   - A's next message shows in both tabs with a countdown, vanishes from both (waited for, bounded)
//     and is still gone after a reload of both; A turns the setting off again;
//   - A deletes a message for everyone (right-click menu, confirmation) → B's bubble becomes "This
//     message was deleted" (or goes), A keeps the placeholder, also after a reload of both;
//   - B deletes a message for itself (click the bubble, Delete key, confirmation) → gone at B, still
//     at A after several of A's polls, and at B after a reload;
//   - A clears device and network from Settings → the welcome screen (also after a reload), and
//     A's phrase restored in a fresh browser context finds an empty account;
//   - "Try it now" opens an account at once with a reminder that goes once the phrase is saved
//     (also after a reload); a second trial account is deleted from its reminder.
// Each check is a step: a failed one is reported and the next still runs (the clearing at the end
// does not depend on the others). Screenshots go to the artifacts folder.
//   node tests/e2e/deletion.mjs http://127.0.0.1:8080/ [artifacts dir]
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { click, frames, launch, state, until, widget } from './support/browser.mjs';
import { createAccount, dumpTabs, openTab, send, startConversation } from './support/session.mjs';

const base = process.argv[2] || 'http://127.0.0.1:8080/';
const out = process.argv[3] || 'build/e2e-artifacts/deletion';
await mkdir(out, { recursive: true });
const browser = await launch();
const shot = async (page, name) => { await frames(page, 2); await page.screenshot({ path: join(out, `${name}.png`) }); };
const results = {};
const tabs = {};
let failures = 0;

async function step(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${name}: ${error.stack || error}`);
    await dumpTabs(tabs, out);
  }
}

// The open conversation's newest messages (none if no conversation is open).
const messages = (page, max = 60) => page.evaluate((m) => window.sessionTab.state(m).open?.messages ?? [], max);
const withBody = (page, body, max = 60) =>
  page.evaluate(([b, m]) => (window.sessionTab.state(m).open?.messages ?? []).find((x) => x.body === b) ?? null, [body, max]);

async function openConversation(page, peer) {
  if ((await state(page, 0)).open?.peer_session_id === peer) return;
  await click(page, `conversation.${peer}`);
  await until(page, (p) => window.sessionTab.state(0).open?.peer_session_id === p, peer);
  await frames(page, 3);
}

// Reloads the tab (same context: same IndexedDB) and reopens the conversation with `peer`; waits
// until the message `anchor` (one that stays) is listed again, so the history has been read.
async function reloadInto(page, peer, anchor) {
  await page.reload();
  await until(page, () => { const s = window.sessionTab && window.sessionTab.firstFrameMs && window.sessionTab.state(0); return s && !s.loading && s.account; }, null, 60000);
  await openConversation(page, peer);
  await until(page, (b) => window.sessionTab.state(100).open?.messages.some((m) => m.body === b), anchor, 30000);
}

async function rightClick(page, name) {
  const r = await widget(page, name);
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2, { button: 'right' });
  await frames(page);
}

// Rolls the wheel over the open panel until the widget `name` is on screen; returns its rectangle.
async function scrollTo(page, name) {
  await widget(page, 'panel.close');
  await page.mouse.move(900, 400);  // over the panel, right of the sidebar (1280 x 800)
  for (let i = 0; i < 40; i++) {
    const r = await page.evaluate((n) => window.sessionTab.rect(n), name);
    if (r) return r;
    await page.mouse.wheel(0, 300);
    await frames(page, 2);
  }
  return widget(page, name, 5000);
}

// `n` more network requests of the page finished after time `t` (its polls and sends).
const moreRequests = (page, n, t = Date.now()) =>
  until(page, ([since, k]) => window.sessionTab.fetchLog(since).filter((r) => r.path.startsWith('/relay/onion') && r.end > 0).length >= k, [t, n], 90000);

// Opens the requests list, then the request from `peer`, and accepts it (as contacts.mjs).
async function acceptRequest(page, peer) {
  await click(page, 'sidebar.requests');
  await widget(page, `request.${peer}`);
  await click(page, `request.${peer}`);
  await until(page, (p) => { const o = window.sessionTab.state(0).open; return o?.peer_session_id === p && o.is_request; }, peer);
  await click(page, 'request.accept');
  await until(page, (p) => { const s = window.sessionTab.state(0);
    return s.open?.peer_session_id === p && !s.open.is_request && s.conversations.some((c) => c.peer_session_id === p); }, peer, 30000);
  await click(page, 'requests.back');
}

// The conversation's timer button, then one of the choices the core offers.
async function chooseDisappearing(page, choice) {
  await click(page, 'conversation.disappearing');
  await widget(page, choice);
  await click(page, choice);
}

let alice, bob, a, b;
try {
  a = tabs.A = await openTab(browser, base, 'A');
  b = tabs.B = await openTab(browser, base, 'B');
  alice = await createAccount(a.page, 'Alice');
  bob = await createAccount(b.page, 'Bob');
  console.log('accounts', alice.id.slice(0, 10), bob.id.slice(0, 10));

  // A and B become contacts: A writes, B accepts the request and stays in the conversation.
  await startConversation(a.page, bob.id);
  await send(a.page, 'Hello Bob, this one stays.');
  await until(b.page, (p) => window.sessionTab.state(0).requests.some((c) => c.peer_session_id === p), alice.id, 90000);
  await acceptRequest(b.page, alice.id);
  await openConversation(b.page, alice.id);
  await until(b.page, () => window.sessionTab.state(5).open?.messages.some((m) => m.body === 'Hello Bob, this one stays.'), null, 30000);
  console.log('ok   A and B are contacts');
} catch (error) {
  console.log(`FAIL setting up two contacts: ${error.stack || error}`);
  await dumpTabs(tabs, out);
  await browser.close();
  process.exit(1);
}
const anchor = 'Hello Bob, this one stays.';

await step('A sets "disappear after send: 10 s" → both tabs show the setting and its notice line', async () => {
  const choices = (await state(a.page, 0)).open.disappearing_choices;
  assert.ok(choices.some((c) => c.mode === 'after_send' && c.seconds === 10), `the devnet offers 10 s: ${JSON.stringify(choices)}`);
  await chooseDisappearing(a.page, 'disappearing.after_send.10');
  for (const [name, page] of [['A', a.page], ['B', b.page]]) {
    const open = await until(page, () => { const o = window.sessionTab.state(20).open;
      return o && o.disappearing === 'after_send' && o.disappearing_seconds === 10 && o.messages.some((m) => m.kind === 'notice') && o; }, null, 90000);
    assert.notEqual(open.disappearing_text, '', `${name}: the header says so`);
    const notice = open.messages.filter((m) => m.kind === 'notice').at(-1);
    assert.notEqual(notice.body, '', `${name}: the notice is a sentence`);
    await widget(page, `message.${notice.id}`);
    await widget(page, 'conversation.disappearing_text');
    await shot(page, `${name.toLowerCase()}-disappearing-set`);
  }
});

await step('a message sent then shows a countdown in both tabs and vanishes from both', async () => {
  const text = 'This message disappears in 10 seconds.';
  const t0 = Date.now();
  await click(a.page, 'composer.input');
  await send(a.page, text);
  for (const [name, page] of [['A', a.page], ['B', b.page]]) {
    const m = await until(page, (x) => window.sessionTab.state(20).open?.messages.find((y) => y.body === x && y.expires_ms > 0), text, 60000);
    assert.equal(m.disappearing, 'after_send', `${name}: sent with the setting`);
    await widget(page, `message.${m.id}.countdown`);
    await shot(page, `${name.toLowerCase()}-countdown`);
  }
  // Waited for, bounded: after-send 10 s, counted from A's sending.
  await Promise.all([a.page, b.page].map((page) =>
    until(page, (x) => !window.sessionTab.state(60).open?.messages.some((y) => y.body === x), text, 60000)));
  results.vanishedAfterMs = Date.now() - t0;
  // Nor its preview in the conversation list (waited for: the list may follow a moment later;
  // how long it lagged is reported).
  const t1 = Date.now();
  await Promise.all([a.page, b.page].map((page) =>
    until(page, (x) => !window.sessionTab.state(0).conversations.some((c) => c.last_message === x), text, 15000)));
  results.previewLagMs = Date.now() - t1;
  await Promise.all([reloadInto(a.page, bob.id, anchor), reloadInto(b.page, alice.id, anchor)]);
  assert.equal(await withBody(a.page, text, 200), null, 'A: still gone after a reload');
  assert.equal(await withBody(b.page, text, 200), null, 'B: still gone after a reload');
  console.log(`     vanished from both ${results.vanishedAfterMs} ms after A sent it`);
});

await step('A turns disappearing messages off → both tabs say so', async () => {
  await openConversation(a.page, bob.id);
  await chooseDisappearing(a.page, 'disappearing.off');
  await Promise.all([a.page, b.page].map((page) =>
    until(page, () => { const o = window.sessionTab.state(0).open; return o && o.disappearing === 'off' && o.disappearing_text === ''; }, null, 90000)));
});

await step('Delete for everyone (right-click menu, confirmed): B shows the placeholder or nothing, A the placeholder, also after a reload', async () => {
  const text = 'Unsend me, please.';
  await openConversation(a.page, bob.id);
  await openConversation(b.page, alice.id);
  await click(a.page, 'composer.input');
  await send(a.page, text);
  const mine = await until(a.page, (x) => window.sessionTab.state(20).open?.messages.find((m) => m.body === x && (m.delivery === 'sent' || m.delivery === 'read')), text, 60000);
  await until(b.page, (x) => window.sessionTab.state(20).open?.messages.some((m) => m.body === x), text, 90000);
  await rightClick(a.page, `message.${mine.id}`);
  await widget(a.page, 'message_menu.delete_for_everyone');
  await shot(a.page, 'a-message-menu');
  await click(a.page, 'message_menu.delete_for_everyone');
  await widget(a.page, 'confirm.ok');
  await shot(a.page, 'a-confirm-delete-for-everyone');
  await click(a.page, 'confirm.ok');
  const placeholder = (x) => { const ms = window.sessionTab.state(100).open?.messages ?? [];
    return !ms.some((m) => m.body === x) && ms.some((m) => m.kind === 'deleted'); };
  await until(a.page, placeholder, text, 30000);
  await until(b.page, (x) => !(window.sessionTab.state(100).open?.messages ?? []).some((m) => m.body === x), text, 90000);
  await shot(a.page, 'a-deleted-for-everyone');
  await shot(b.page, 'b-deleted-for-everyone');
  await Promise.all([reloadInto(a.page, bob.id, anchor), reloadInto(b.page, alice.id, anchor)]);
  assert.equal(await withBody(a.page, text, 200), null, 'A: the text is gone after a reload');
  assert.ok((await messages(a.page, 200)).some((m) => m.kind === 'deleted'), 'A: the placeholder stays after a reload');
  assert.equal(await withBody(b.page, text, 200), null, 'B: the text is gone after a reload');
  for (const s of [await state(a.page, 0), await state(b.page, 0)]) {
    assert.ok(!s.conversations.some((c) => c.last_message === text), 'no preview of it is left');
  }
});

await step('Delete for me (Delete key on a clicked bubble, confirmed): gone at B only', async () => {
  const text = 'Only Alice keeps this one.';
  await openConversation(a.page, bob.id);
  await openConversation(b.page, alice.id);
  await click(b.page, 'composer.input');
  await send(b.page, text);
  const mine = await until(b.page, (x) => window.sessionTab.state(20).open?.messages.find((m) => m.body === x && (m.delivery === 'sent' || m.delivery === 'read')), text, 60000);
  await until(a.page, (x) => window.sessionTab.state(20).open?.messages.some((m) => m.body === x), text, 90000);
  await click(b.page, `message.${mine.id}`);  // selects it; the composer lets the keyboard go
  await b.page.keyboard.press('Delete');
  await widget(b.page, 'confirm.ok');
  await shot(b.page, 'b-confirm-delete-for-me');
  await click(b.page, 'confirm.ok');
  await until(b.page, (x) => !(window.sessionTab.state(100).open?.messages ?? []).some((m) => m.body === x), text, 30000);
  const t = Date.now();
  await moreRequests(a.page, 4, t);  // A polled its swarm several times since
  assert.ok(await withBody(a.page, text), 'A still has it');
  await reloadInto(b.page, alice.id, anchor);
  assert.equal(await withBody(b.page, text, 200), null, 'B: still gone after a reload');
  await shot(b.page, 'b-deleted-for-me');
});

await step('Clear device and network in A → the welcome screen, also after a reload', async () => {
  await click(a.page, 'sidebar.settings');
  await scrollTo(a.page, 'settings.clear_network');
  await shot(a.page, 'a-settings-clear');
  await click(a.page, 'settings.clear_network');
  await widget(a.page, 'confirm.ok');
  await shot(a.page, 'a-confirm-clear-network');
  await click(a.page, 'confirm.ok');
  // The swarm's progress may show on the way (not required: a fast devnet confirms at once).
  const s = await until(a.page, () => { const v = window.sessionTab.state(0);
    if (v.settings.clear_network.stage === 'failed') return { failed: v.settings.clear_network.problem };
    return v.account === null && v; }, null, 120000);
  assert.equal(s.failed, undefined, `clearing failed: ${JSON.stringify(s.failed)}`);
  assert.equal(s.onboarding.step, 'welcome');
  await widget(a.page, 'onboarding.create');
  await shot(a.page, 'a-cleared');
  await a.page.reload();
  await until(a.page, () => { const v = window.sessionTab && window.sessionTab.firstFrameMs && window.sessionTab.state(0); return v && !v.loading; }, null, 60000);
  const after = await state(a.page, 0);
  assert.equal(after.account, null, 'nothing of the account is left in this browser');
  assert.equal(after.onboarding.step, 'welcome');
});

await step("A's phrase restored in a fresh browser context finds an empty account", async () => {
  const d = tabs.D = await openTab(browser, base, 'D');
  await click(d.page, 'onboarding.restore');
  await widget(d.page, 'onboarding.phrase_input');
  await frames(d.page);
  await d.page.keyboard.insertText(alice.phrase);
  await frames(d.page);
  await click(d.page, 'onboarding.restore_submit');
  await until(d.page, () => window.sessionTab.state(0).onboarding.step === 'choose_name' || window.sessionTab.state(0).account, null, 60000);
  if (!(await state(d.page, 0)).account) {
    await widget(d.page, 'onboarding.name_input');
    await frames(d.page);
    await d.page.keyboard.type('Alice again');
    await d.page.keyboard.press('Enter');
  }
  const s = await until(d.page, () => { const v = window.sessionTab.state(0); return v.account && v; }, null, 60000);
  assert.equal(s.account.session_id, alice.id);
  await moreRequests(d.page, 6);  // several polls of the swarm: anything left there would show
  const after = await state(d.page, 0);
  assert.deepEqual(after.conversations.map((c) => c.title), [], 'no conversations');
  assert.deepEqual(after.requests.map((c) => c.title), [], 'no requests');
  await shot(d.page, 'd-restored-empty');
});

await step('"Try it now": an account at once with a reminder until the phrase is saved; a trial account deleted from its reminder', async () => {
  const t = tabs.T = await openTab(browser, base, 'T');
  await click(t.page, 'onboarding.try');
  const s = await until(t.page, () => { const v = window.sessionTab.state(0); return v.account && !v.loading && v; }, null, 60000);
  assert.equal(s.account.display_name, 'Guest');
  assert.equal(s.account.phrase_unsaved, true);
  await widget(t.page, 'trial.reminder');
  await shot(t.page, 't-trial');
  // Save phrase → Settings → show (after the warning) → "I have saved it": the reminder goes.
  await click(t.page, 'trial.save');
  await click(t.page, 'settings.reveal');
  await click(t.page, 'settings.reveal_confirm');
  await until(t.page, () => window.sessionTab.state(0).settings.recovery_phrase_shown === true);
  assert.equal((await state(t.page, 0)).settings.recovery_phrase.split(' ').length, 13);
  await click(t.page, 'settings.phrase_saved');
  await until(t.page, () => window.sessionTab.state(0).account.phrase_unsaved === false);
  await click(t.page, 'panel.close');
  await t.page.reload();
  await until(t.page, () => { const v = window.sessionTab?.firstFrameMs && window.sessionTab.state(0); return v && !v.loading && v.account; }, null, 60000);
  assert.equal((await state(t.page, 0)).account.phrase_unsaved, false, 'saved for good');
  assert.equal(await t.page.evaluate(() => window.sessionTab.rects().some((r) => r.name === 'trial.reminder')), false);
  await t.context.close();
  // Another trial account, deleted from the reminder (confirmed): back to Welcome.
  const u = tabs.U = await openTab(browser, base, 'U');
  await click(u.page, 'onboarding.try');
  await until(u.page, () => { const v = window.sessionTab.state(0); return v.account && !v.loading && v.account.phrase_unsaved; }, null, 60000);
  await click(u.page, 'trial.delete');
  await click(u.page, 'confirm.ok');
  await until(u.page, () => { const v = window.sessionTab.state(0); return !v.account && !v.loading && v.onboarding.step === 'welcome'; }, null, 60000);
  await shot(u.page, 'u-trial-deleted');
});

await browser.close();
console.log(JSON.stringify(results));
if (failures) {
  console.log(`${failures} step(s) failed`);
  process.exitCode = 1;
}
