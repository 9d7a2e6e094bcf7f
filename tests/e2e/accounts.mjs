// Several accounts, and one account in two tabs, end to end in Chromium against a running Session
// Tab (chat_e2e.sh starts a fresh devnet and relay). docs/accounts.md. One browser context is "my
// browser" (one IndexedDB, one set of Web Locks); another is Bob.
//   - two accounts in my browser: the one not on screen keeps receiving and shows an unread count
//     in the switcher; switching shows each its own messages; a reload keeps the tab's account
//     (its URL names it);
//   - the same account in a second tab: it follows the first (other_tab_holds), Bob's message
//     shows once in both; acting in the second tab (accept, reply) moves the lease there and the
//     reply reaches Bob once; closing that tab hands the account back, and the first receives;
//   - removing an account from the switcher (after its question) leaves no key of it in IndexedDB
//     and keeps the other.
//   node tests/e2e/accounts.mjs http://127.0.0.1:8080/ [artifacts dir]
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { click, frames, launch, resize, state, until, widget } from './support/browser.mjs';
import { createAccount, dumpTabs, openTab, send, startConversation } from './support/session.mjs';

const base = process.argv[2] || 'http://127.0.0.1:8080/';
const out = process.argv[3] || 'build/e2e-artifacts/accounts';
await mkdir(out, { recursive: true });
const browser = await launch();
const shot = async (page, name) => { await frames(page, 2); await page.screenshot({ path: join(out, `${name}.png`) }); };
const tabs = {};

const count = (page, body) => page.evaluate((b) => {
  const open = window.sessionTab.state(200).open;
  return open ? open.messages.filter((m) => m.body === b).length : 0;
}, body);

// Every key of the app's IndexedDB, as text (keys are bytes; ours are ASCII).
const storedKeys = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('session-tab');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction('kv').objectStore('kv').getAllKeys();
    request.onsuccess = () => {
      resolve(request.result.map((k) => new TextDecoder().decode(new Uint8Array(k))));
      open.result.close();
    };
    request.onerror = () => reject(request.error);
  };
}));

// Opens the request from `peer` in the requests list.
async function openRequest(page, peer) {
  await click(page, 'sidebar.requests');
  await click(page, `request.${peer}`);
  await until(page, (p) => window.sessionTab.state(0).open?.peer_session_id === p && !window.sessionTab.state(0).open.loading, peer);
}

try {
  const mine = tabs.one = await openTab(browser, base, 'one');
  const bobTab = tabs.bob = await openTab(browser, base, 'bob');
  const bob = await createAccount(bobTab.page, 'Bob');
  const alice = await createAccount(mine.page, 'Alice');

  // A second account from the switcher: Welcome offers a way back; then a new account.
  await click(mine.page, 'sidebar.accounts');
  await widget(mine.page, `accounts.${alice.id}`);
  await shot(mine.page, 'switcher-one-account');
  await click(mine.page, 'accounts.add');
  await until(mine.page, () => window.sessionTab.state(0).adding_account === true);
  await click(mine.page, 'onboarding.cancel_add');
  await until(mine.page, (id) => window.sessionTab.state(0).account?.session_id === id, alice.id);
  await click(mine.page, 'sidebar.accounts');
  await click(mine.page, 'accounts.add');
  const pseudo = await createAccount(mine.page, 'Pseudonym');
  assert.notEqual(pseudo.id, alice.id);
  let s = await state(mine.page, 0);
  assert.deepEqual(s.accounts.map((a) => a.session_id), [alice.id, pseudo.id]);
  console.log('ok   two accounts in one browser');

  // Bob writes to both; the pseudonym is on screen, Alice's count grows in the switcher.
  await startConversation(bobTab.page, alice.id);
  await send(bobTab.page, 'to Alice');
  await startConversation(bobTab.page, pseudo.id);
  await send(bobTab.page, 'to the pseudonym');
  s = await until(mine.page, (id) => { const x = window.sessionTab.state(0);
    return x.accounts.find((a) => a.session_id === id)?.unread >= 1 && x.requests.length === 1 && x; }, alice.id, 120000);
  assert.equal(s.account.session_id, pseudo.id);
  await click(mine.page, 'sidebar.accounts');
  await shot(mine.page, 'switcher-unread');
  await click(mine.page, `accounts.${alice.id}`);
  await until(mine.page, (id) => window.sessionTab.state(0).account?.session_id === id && !window.sessionTab.state(0).loading, alice.id);
  await openRequest(mine.page, bob.id);
  await until(mine.page, () => window.sessionTab.state(200).open?.messages.some((m) => m.body === 'to Alice'), null, 30000);
  assert.equal(await count(mine.page, 'to Alice'), 1);
  assert.equal(await count(mine.page, 'to the pseudonym'), 0, 'each account has its own messages');
  assert.ok(mine.page.url().includes('#/account/' + alice.id.slice(0, 16)), `the tab's URL names Alice: ${mine.page.url()}`);
  console.log('ok   the account not on screen received; switching shows each its own messages');

  await mine.page.reload();
  await until(mine.page, () => window.sessionTab && window.sessionTab.state(0).loading === false, null, 60000);
  s = await until(mine.page, () => window.sessionTab.state(0).account && window.sessionTab.state(0), null, 30000);
  assert.equal(s.account.session_id, alice.id, 'a reload stays on the tab\'s account');
  console.log('ok   a reload keeps the tab\'s account');

  // The same account in a second tab of my browser: it follows the first.
  const second = tabs.two = { page: await mine.context.newPage() };
  second.page.on('pageerror', (e) => console.log(`[two] pageerror: ${e.message}`));
  await second.page.goto(base + '#/account/' + alice.id.slice(0, 16));
  await until(second.page, () => Boolean(window.sessionTab?.state(0).account) && !window.sessionTab.state(0).loading, null, 60000);
  s = await until(second.page, () => window.sessionTab.state(0).account?.other_tab_holds === true && window.sessionTab.state(0), null, 30000);
  assert.equal(s.account.session_id, alice.id);
  assert.equal((await state(mine.page, 0)).account.other_tab_holds, false, 'the first tab holds the account');
  await openRequest(mine.page, bob.id);
  await openRequest(second.page, bob.id);
  await send(bobTab.page, 'ignore');  // to the pseudonym's conversation, still open at Bob
  await startConversation(bobTab.page, alice.id);
  await send(bobTab.page, 'for both tabs');
  await until(mine.page, () => window.sessionTab.state(200).open?.messages.some((m) => m.body === 'for both tabs'), null, 90000);
  await until(second.page, () => window.sessionTab.state(200).open?.messages.some((m) => m.body === 'for both tabs'), null, 30000);
  await frames(mine.page, 5);
  assert.equal(await count(mine.page, 'for both tabs'), 1);
  assert.equal(await count(second.page, 'for both tabs'), 1);
  await shot(second.page, 'second-tab-follows');
  console.log('ok   the same account in two tabs: one message, shown once in each');

  // Acting in the second tab moves the account there; the reply reaches Bob once.
  await click(second.page, 'request.accept');
  await until(second.page, () => window.sessionTab.state(0).account?.other_tab_holds === false, null, 30000);
  await until(mine.page, () => window.sessionTab.state(0).account?.other_tab_holds === true, null, 30000);
  await until(second.page, (p) => window.sessionTab.state(0).open?.peer_session_id === p && !window.sessionTab.state(0).open.is_request, bob.id, 30000);
  await click(second.page, 'composer.input');
  await send(second.page, 'reply from the second tab');
  await until(bobTab.page, () => window.sessionTab.state(200).open?.messages.some((m) => m.body === 'reply from the second tab'), null, 90000);
  await until(mine.page, () => window.sessionTab.state(200).open?.messages.some((m) => m.body === 'reply from the second tab'), null, 30000);
  assert.equal(await count(bobTab.page, 'reply from the second tab'), 1);
  assert.equal(await count(mine.page, 'reply from the second tab'), 1);
  assert.equal(await count(second.page, 'reply from the second tab'), 1);
  console.log('ok   acting in the following tab takes the account over; the reply goes once');

  // Closing the tab that holds the account hands it back. (The first tab was hidden behind the
  // second: it kept running on the lifecycle's timer, and comes to the front again now.)
  await second.page.close();
  delete tabs.two;
  await mine.page.bringToFront();
  await until(mine.page, () => window.sessionTab.state(0).account?.other_tab_holds === false, null, 30000);
  await send(bobTab.page, 'after the second tab closed');
  await until(mine.page, () => window.sessionTab.state(200).open?.messages.some((m) => m.body === 'after the second tab closed'), null, 90000);
  assert.equal(await count(mine.page, 'after the second tab closed'), 1);
  console.log('ok   closing the holding tab hands the account to the one left');

  // Remove the pseudonym from the switcher: its question, then nothing of it is left.
  await click(mine.page, 'sidebar.accounts');
  await click(mine.page, `accounts.remove.${pseudo.id}`);
  await widget(mine.page, 'confirm.ok');
  await shot(mine.page, 'remove-question');
  await click(mine.page, 'confirm.ok');
  await until(mine.page, () => window.sessionTab.state(0).accounts.length === 1, null, 30000);
  const keys = await until(mine.page, () => true).then(() => storedKeys(mine.page));
  assert.ok(!keys.some((k) => k.includes(pseudo.id)), 'no key of the removed account');
  assert.ok(keys.some((k) => k === 'accounts/' + alice.id), 'the other account stays');
  assert.equal((await state(mine.page, 0)).account.session_id, alice.id);
  console.log('ok   a removed account leaves no key in IndexedDB; the other stays');

  // The passphrase lock (docs/lock.md): on in Settings, then a reload shows the lock screen, the
  // stored data holds nothing readable of the account, a wrong passphrase says so, the right one
  // opens the account with its messages.
  await resize(mine.page, 1280, 1500);
  await click(mine.page, 'panel.close');  // the switcher, still open behind the removal's question
  // One run under load saw this click not open Settings right after the resize, most likely
  // aimed at the layout from before it (resize() now waits for the new one); the click is still
  // made again if Settings does not show.
  for (let attempt = 0; ; attempt++) {
    await click(mine.page, 'sidebar.settings');
    try {
      await widget(mine.page, 'settings.lock_name', 5000);
      break;
    } catch (error) {
      if (attempt >= 2) throw error;
      console.log('note Settings did not open on a click after a resize; clicking again');
    }
  }
  for (let attempt = 0; ; attempt++) {
    for (const [field, text] of [['settings.lock_name', 'Work'], ['settings.lock_new', 'correct horse battery'],
      ['settings.lock_repeat', 'correct horse battery']]) {
      await click(mine.page, field);
      await mine.page.keyboard.press('Control+A');
      await mine.page.keyboard.press('Backspace');
      await mine.page.keyboard.type(text);
      await frames(mine.page);
    }
    await click(mine.page, 'settings.lock_set');
    try {
      await until(mine.page, () => window.sessionTab.state(0).settings.passphrase_set === true && !window.sessionTab.state(0).settings.lock_busy, null, 20000);
      break;
    } catch (error) {
      if (attempt >= 1) throw error;
      await shot(mine.page, 'lock-not-set');
      console.log('note the lock was not turned on by the first attempt; typing the fields again');
    }
  }
  await shot(mine.page, 'lock-settings');
  await mine.page.reload();
  s = await until(mine.page, () => window.sessionTab?.state(0).lock_screen && window.sessionTab.state(0), null, 60000);
  assert.equal(s.lock_screen.public_name, 'Work');
  assert.equal(s.account, null);
  const stored = await mine.page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('session-tab');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('kv');
      const keys = tx.objectStore('kv').getAllKeys();
      const values = tx.objectStore('kv').getAll();
      tx.oncomplete = () => {
        const text = (b) => new TextDecoder('latin1').decode(new Uint8Array(b));
        resolve(keys.result.map(text).join('\n') + '\n' + values.result.map(text).join('\n'));
        open.result.close();
      };
    };
  }));
  const secrets = [alice.id, alice.id.slice(2, 18), bob.id, 'Bob', 'to Alice', 'for both tabs', 'reply from the second tab',
    'after the second tab closed', ...alice.phrase.split(' ').filter((w) => w.length >= 4)];
  for (const secret of secrets) assert.ok(!stored.includes(secret), `IndexedDB holds "${secret}" of the locked account`);
  await shot(mine.page, 'lock-screen');
  await click(mine.page, 'lock.passphrase');
  await mine.page.keyboard.type('wrong horse battery');
  await mine.page.keyboard.press('Enter');
  s = await until(mine.page, () => window.sessionTab.state(0).lock_screen?.problem && window.sessionTab.state(0), null, 30000);
  assert.equal(s.lock_screen.problem.code, 'lock.wrong_passphrase');
  await click(mine.page, 'lock.passphrase');
  await mine.page.keyboard.type('correct horse battery');
  await mine.page.keyboard.press('Enter');
  s = await until(mine.page, () => window.sessionTab.state(0).account && !window.sessionTab.state(0).loading && window.sessionTab.state(0), null, 60000);
  assert.equal(s.account.session_id, alice.id);
  await click(mine.page, `conversation.${bob.id}`);
  await until(mine.page, () => window.sessionTab.state(200).open?.messages.some((m) => m.body === 'after the second tab closed'), null, 30000);
  console.log('ok   locked: the lock screen after a reload, nothing readable in IndexedDB, wrong then right passphrase, data intact');
} catch (error) {
  await dumpTabs(tabs, out);
  throw error;
} finally {
  await browser.close();
}
