// Config sync end to end in Chromium (docs/config.md §8) against a running Session Tab (chat_e2e.sh
// starts a fresh devnet and relay). One account on two "devices" — two browser contexts with their
// own IndexedDB — and a third restored later, acting like people through window.sessionTab:
//   - A1 creates Alice; Bob (B) writes to her, so she has a message request;
//   - A2 restores Alice's phrase: it shows "Loading your account", then opens with the name A1
//     stored in the swarm (no name asked);
//   - A1 accepts Bob's request, renames herself, reads Bob's newest message: A2 follows — Bob is a
//     conversation there, not a request, the name is the new one, the conversation is read;
//   - A3 restores the phrase after all of that and sees the same, also after a reload.
//   node tests/e2e/config_sync.mjs http://127.0.0.1:8080/ [artifacts dir]
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { click, frames, launch, state, until, widget } from './support/browser.mjs';
import { createAccount, dumpTabs, openTab, send, startConversation } from './support/session.mjs';

const base = process.argv[2] || 'http://127.0.0.1:8080/';
const out = process.argv[3] || 'build/e2e-artifacts/config_sync';
await mkdir(out, { recursive: true });
const browser = await launch();
const shot = async (page, name) => { await frames(page, 2); await page.screenshot({ path: join(out, `${name}.png`) }); };
const tabs = {};
const has = (list, id) => list.some((c) => c.peer_session_id === id);

// Welcome → restore → the phrase pasted and submitted at once. Returns the steps seen until the
// account opened (a restore of an account with a stored name never asks for one).
async function restore(page, phrase) {
  await click(page, 'onboarding.restore');
  await widget(page, 'onboarding.phrase_input');
  await frames(page);
  await page.keyboard.insertText(phrase);
  // The phrase's check line under the field moves the button: click where it is once the text
  // has been drawn, as a person would.
  await frames(page);
  await click(page, 'onboarding.restore_submit');
  const steps = new Set();
  const deadline = Date.now() + 90000;
  for (;;) {
    const s = await state(page, 0);
    if (s.account) return { steps, account: s.account };
    steps.add(s.onboarding.step);
    assert.notEqual(s.onboarding.step, 'choose_name', 'the name stored by the other device is found');
    assert.ok(Date.now() < deadline, `restore still at ${[...steps].join(' → ')} after 90 s`);
    await page.waitForTimeout(50);
  }
}

// The view of `page` once `pred(view, arg)` holds (the view read from the page, tested here).
async function settle(page, pred, arg, ms = 90000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await state(page, 0);
    if (pred(last, arg)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${pred.toString().slice(0, 160)}; last view: ${JSON.stringify({
        account: last.account, conversations: last.conversations, requests: last.requests })}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

try {
  const a1 = tabs.A1 = await openTab(browser, base, 'A1');
  const b = tabs.B = await openTab(browser, base, 'B');
  const alice = await createAccount(a1.page, 'Alice');
  const bob = await createAccount(b.page, 'Bob');
  console.log('accounts', alice.id.slice(0, 10), bob.id.slice(0, 10));

  await startConversation(b.page, alice.id);
  await send(b.page, 'Hi Alice, Bob here.');
  await settle(a1.page, (v, id) => v.requests.some((c) => c.peer_session_id === id), bob.id);

  // A2: the name comes from the swarm.
  const a2 = tabs.A2 = await openTab(browser, base, 'A2');
  const restored = await restore(a2.page, alice.phrase);
  assert.equal(restored.account.session_id, alice.id);
  assert.equal(restored.account.display_name, 'Alice', 'the restored device has the name from the swarm');
  console.log('A2 restored through', [...restored.steps].join(' → '));
  await shot(a2.page, 'a2-restored');
  // Bob's message is a request there too (nobody accepted it yet).
  await settle(a2.page, (v, id) => v.requests.some((c) => c.peer_session_id === id), bob.id);

  // A1 accepts Bob's request.
  await click(a1.page, 'sidebar.requests');
  await click(a1.page, `request.${bob.id}`);
  await until(a1.page, (p) => window.sessionTab.state(0).open?.peer_session_id === p, bob.id);
  await click(a1.page, 'request.accept');
  await settle(a1.page, (v, id) => v.conversations.some((c) => c.peer_session_id === id), bob.id);
  await click(a1.page, 'requests.back');
  // ... and renames herself.
  await click(a1.page, 'sidebar.settings');
  await widget(a1.page, 'settings.name_input');
  await click(a1.page, 'settings.name_input');
  await a1.page.keyboard.press('Control+A');
  await a1.page.keyboard.type('Alice Liddell');
  await click(a1.page, 'settings.name_save');
  await settle(a1.page, (v) => v.account.display_name === 'Alice Liddell');
  await click(a1.page, 'panel.close');

  const a2Synced = await settle(a2.page, (v, id) =>
    v.account.display_name === 'Alice Liddell' && v.conversations.some((c) => c.peer_session_id === id) &&
    !v.requests.some((c) => c.peer_session_id === id), bob.id);
  assert.ok(has(a2Synced.conversations, bob.id), "A1's acceptance reached A2");
  await shot(a2.page, 'a2-after-a1-changes');

  // Bob writes again while A1 has no conversation open: unread on both; A1 opens it (reads it)
  // and A2 shows it read.
  await click(a1.page, 'conversation.close');
  await settle(a1.page, (v) => !v.open);
  await send(b.page, 'Did you get my first message?');
  await settle(a2.page, (v, id) => v.conversations.find((c) => c.peer_session_id === id)?.unread > 0, bob.id);
  await settle(a1.page, (v, id) => v.conversations.find((c) => c.peer_session_id === id)?.unread > 0, bob.id);
  await click(a1.page, `conversation.${bob.id}`);
  await settle(a1.page, (v, id) => v.open?.peer_session_id === id &&
    v.conversations.find((c) => c.peer_session_id === id)?.unread === 0, bob.id);
  await settle(a2.page, (v, id) => v.conversations.find((c) => c.peer_session_id === id)?.unread === 0, bob.id);
  console.log('read on A1 → read on A2');

  // A3, later: everything at once, and still after a reload.
  const a3 = tabs.A3 = await openTab(browser, base, 'A3');
  const third = await restore(a3.page, alice.phrase);
  assert.equal(third.account.display_name, 'Alice Liddell');
  const a3View = await settle(a3.page, (v, id) => v.conversations.some((c) => c.peer_session_id === id), bob.id);
  assert.ok(!has(a3View.requests, bob.id), 'Bob is no request on A3');
  const bobOnA3 = await settle(a3.page, (v, id) => v.conversations.find((c) => c.peer_session_id === id)?.unread === 0, bob.id);
  assert.ok(bobOnA3);
  await shot(a3.page, 'a3-restored');
  await a3.page.reload();
  await until(a3.page, () => Boolean(window.sessionTab?.firstFrameMs) && window.sessionTab.state(0).loading === false, null, 60000);
  const reloaded = await state(a3.page, 0);
  assert.equal(reloaded.account.display_name, 'Alice Liddell');
  assert.ok(has(reloaded.conversations, bob.id) && !has(reloaded.requests, bob.id));
  assert.equal(reloaded.conversations.find((c) => c.peer_session_id === bob.id).unread, 0);
  console.log('config sync: ok');
} catch (error) {
  console.log(`config sync failed: ${error.stack || error}`);
  await dumpTabs(tabs, out);
  process.exitCode = 1;
} finally {
  await browser.close();
}
