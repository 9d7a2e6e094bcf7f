// Walks through every screen of the UI in Chromium with the fixture driver (fixture.html: canned
// data, no network), acting like a person through window.sessionTab, asserting on the state and
// saving screenshots. Checks the browser host: canvas + DPI, text input bridge (non-US text),
// Enter / Shift+Enter, clipboard, retry, a long message wrapping in the composer and its bubble,
// emoji, panels, narrow layout, a 100k-message conversation; frames on demand (an idle page draws
// nothing; a change from the app with no input is drawn) and input at machine speed (typed text,
// Enter and clicks handled in the order they came, nothing lost, also after an idle pause).
//   node tests/e2e/ui_fixture.mjs <site dir> [artifacts dir]
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { burst, click, fast, frames, launch, openApp, serve, state, until, widget } from './support/browser.mjs';

const site = process.argv[2] || 'build/ui-wasm/wasm/site';
const out = process.argv[3] || 'build/e2e-artifacts/ui';
await mkdir(out, { recursive: true });
const server = await serve(site);
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(out, `${name}.png`) });
const results = {};
let failures = 0;
let created = null;  // the phrase and Session ID the fixture's "create account" shows

// UI_STEPS=<regex>: run only the steps whose name matches (while working on one screen).
const only = process.env.UI_STEPS ? new RegExp(process.env.UI_STEPS) : null;

async function step(name, fn) {
  if (only && !only.test(name)) return;
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${name}: ${error.stack || error}`);
  }
}

try {
  const { context, page, messages } = await openApp(browser, `${server.url}fixture.html`);
  results.firstFrameMs = await page.evaluate(() => window.sessionTab.firstFrameMs);

  // Frames are drawn on demand: with no input, no change from the app and no field focused, the
  // page draws nothing. (Watching for a few seconds is the check itself, not a wait for an event.)
  const counters = () => [window.sessionTab.frames(), window.sessionTab.imguiFrames?.() ?? 0];
  const assertIdle = async (p, what) => {
    await until(p, () => window.sessionTab.settled?.() ?? true);
    const before = await p.evaluate(counters);
    await sleep(3000);
    const after = await p.evaluate(counters);
    assert.deepEqual(after, before, `${what}: frames drawn / ImGui frames run while idle`);
  };

  await step('idle: the welcome screen draws nothing while nothing happens', async () => {
    await until(page, () => window.sessionTab.state().loading === false);
    // The fixture's simulated start ends "connected" after 1.2 s.
    await until(page, () => window.sessionTab.state(0).network.state === 'online');
    await assertIdle(page, 'welcome screen');
  });

  await step('onboarding: create account shows 13 words; copy puts them on the clipboard', async () => {
    await until(page, () => window.sessionTab.state().loading === false);
    await frames(page);
    await shot(page, '01-welcome');
    await click(page, 'onboarding.create');
    const s = await state(page);
    assert.equal(s.onboarding.step, 'show_phrase');
    assert.equal(s.onboarding.phrase.split(' ').length, 13);
    created = { phrase: s.onboarding.phrase, id: s.onboarding.new_session_id };
    await click(page, 'onboarding.copy_phrase');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, s.onboarding.phrase);
    await shot(page, '02-phrase');
  });

  await step('onboarding: display name typed with non-US letters reaches the app', async () => {
    await click(page, 'onboarding.saved');
    await widget(page, 'onboarding.name_input');
    await frames(page);
    await page.keyboard.type('Zoë Ελένη Đặng');
    await frames(page);
    await shot(page, '03-name');
    await page.keyboard.press('Enter');
    await until(page, () => window.sessionTab.state().account !== null);
    assert.equal((await state(page)).account.display_name, 'Zoë Ελένη Đặng');
  });

  await step('main screen: open a conversation, send with Enter, Shift+Enter makes a new line', async () => {
    await frames(page, 5);
    await shot(page, '04-main');
    const s = await state(page);
    const bob = s.conversations.find((c) => c.title === 'Bob');
    await click(page, `conversation.${bob.peer_session_id}`);
    await until(page, (id) => window.sessionTab.state().open?.peer_session_id === id, bob.peer_session_id);
    await frames(page, 3);
    await page.keyboard.type('Hello from a browser tab, ça va?');
    await page.keyboard.press('Enter');
    await until(page, () => window.sessionTab.state(1).open.messages[0].body.startsWith('Hello from'));
    const last = (await state(page, 1)).open.messages[0];
    assert.equal(last.body, 'Hello from a browser tab, ça va?');
    assert.equal(last.outgoing, true);
    await shot(page, '05-sending');
    await until(page, () => window.sessionTab.state(1).open.messages[0].delivery === 'sent' ||
                            window.sessionTab.state(2).open.messages[0].delivery === 'sent');
    await page.keyboard.type('first line');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Shift');
    await page.keyboard.type('second line');
    await frames(page);
    await page.keyboard.press('Enter');
    await until(page, () => window.sessionTab.state(5).open.messages.some((m) => m.body.includes('second line')));
    const multi = (await state(page, 5)).open.messages.find((m) => m.body.includes('second line'));
    assert.equal(multi.body, 'first line\nsecond line');
    await until(page, () => window.sessionTab.state(1).open.messages[0].body.startsWith('You said: first'));
    await frames(page, 3);
    await shot(page, '06-conversation');
  });

  await step('text typed right after Enter is kept for the next message', async () => {
    // Enter ends the composer's edit; it takes the keyboard back a frame or two later. A fast
    // typist's next words, typed in between, must not be lost.
    await page.keyboard.type('quick one');
    await page.keyboard.press('Enter');
    await page.keyboard.type('and straight on');
    await until(page, () => window.sessionTab.state(0).open.draft === 'and straight on');
    await until(page, () => window.sessionTab.state(5).open.messages.some((m) => m.body === 'quick one'));
    await page.keyboard.press('Enter');
    await until(page, () => window.sessionTab.state(5).open.messages.some((m) => m.body === 'and straight on'));
    await until(page, () => window.sessionTab.state(0).open.draft === '');
  });

  // All input that reached the page before a frame is handled in that frame: once the first
  // frame after the last action is drawn, the app has it all (ImGui 1.86 alone would take about one
  // key per frame, and a click before the text queued ahead of it).
  const nextFrame = async (p) => {
    const f = await p.evaluate(() => window.sessionTab.frames());
    await until(p, (n) => window.sessionTab.frames() > n, f);
  };

  await step('a short message typed at machine speed and Enter: sent whole, by the next frame', async () => {
    await burst(page, fast.type('Sent, 7'), fast.enter());
    await nextFrame(page);
    const s = await state(page, 3);
    assert.ok(s.open.messages.some((m) => m.outgoing && m.body === 'Sent, 7'),
              `sent in the first frame after Enter: ${JSON.stringify(s.open.messages.map((m) => m.body))}`);
    assert.equal(s.open.draft, '');
    await until(page, () => window.sessionTab.state(3).open.messages.some((m) => m.body === 'You said: Sent, 7'));
  });

  await step('a message typed at machine speed, Enter and a click on another conversation at once: sent whole, where it was typed', async () => {
    // Everything below reaches the page before the first of it is drawn. ImGui must see it in
    // the order it came: the text, then Enter (sent to Bob), then the click (another conversation).
    const s = await state(page, 0);
    const bob = s.open.peer_session_id;
    const other = s.conversations.find((c) => c.peer_session_id !== bob).peer_session_id;
    const target = await widget(page, `conversation.${other}`);
    const text = 'Typed fast: ça va, Bob? 1234567890';
    await burst(page, fast.type(text), fast.enter(), fast.click(target));
    await nextFrame(page);
    const after = await state(page, 0);
    assert.equal(after.open?.peer_session_id, other, 'the click was handled, after Enter');
    assert.equal(after.open.draft, '', 'nothing typed leaked into the other conversation');
    await click(page, `conversation.${bob}`);
    await until(page, (id) => window.sessionTab.state(0).open?.peer_session_id === id, bob);
    const sent = (await state(page, 10)).open.messages.filter((m) => m.outgoing && m.body.startsWith('Typed'));
    assert.deepEqual(sent.map((m) => m.body), [text]);
    // The fixture's simulated events for it (delivered, then a reply) end with the reply.
    await until(page, (t) => window.sessionTab.state(5).open.messages.some((m) => m.body === `You said: ${t}`), text);
    await frames(page);
  });

  await step('after seconds idle with no field focused, typing at machine speed loses nothing; a reply with no input is drawn', async () => {
    // A click on the message list takes the keyboard from the composer; then the page idles.
    const list = await widget(page, 'composer.input');
    await page.mouse.click(list.x + 40, list.y - 120);
    await assertIdle(page, 'conversation, composer not focused');
    await click(page, 'composer.input');
    const text = 'after a pause: every letter, Ελένη!';
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    const reply = await until(page, (t) => window.sessionTab.state(5).open.messages
      .find((m) => !m.outgoing && m.body === `You said: ${t}`)?.id, text);
    assert.ok((await state(page, 5)).open.messages.some((m) => m.outgoing && m.body === text));
    // The reply came from the app's timer with no input: it must still be drawn.
    await widget(page, `message.${reply}`);
  });

  await step('a failed message shows Retry, and Retry sends it again', async () => {
    await page.keyboard.type('this one will fail');
    await page.keyboard.press('Enter');
    await until(page, () => window.sessionTab.state(1).open.messages[0].delivery === 'failed');
    const failed = (await state(page, 1)).open.messages[0];
    await frames(page);
    await shot(page, '07-failed');
    await click(page, `message.${failed.id}.retry`);
    await until(page, (id) => window.sessionTab.state(3).open.messages.find((m) => m.id === id).delivery !== 'failed', failed.id);
  });

  await step('paste into the composer through the clipboard bridge', async () => {
    await page.evaluate(() => navigator.clipboard.writeText('pasted: Привет, thế giới'));
    await click(page, 'composer.input');
    await page.keyboard.press('Control+V');
    await frames(page, 3);
    const draft = (await state(page, 0)).open.draft;
    assert.equal(draft, 'pasted: Привет, thế giới');
    await shot(page, '08-pasted');
  });

  await step('a long message wraps in the composer, which grows, and in its bubble', async () => {
    // Clear the pasted draft, then measure the one-line composer.
    await click(page, 'composer.input');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await frames(page, 3);
    assert.equal((await state(page, 0)).open.draft, '');
    const oneLine = await widget(page, 'composer.input');
    const long = 'A long message typed in one go, with a link https://example.org/' + 'x'.repeat(120) +
      ' and many more words after it, so that it has to wrap onto several lines of the composer ' +
      'instead of running off to the right — ça marche, Привет, thế giới.';
    await page.keyboard.insertText(long);  // one input event through the textarea bridge
    await frames(page, 3);
    assert.equal((await state(page, 0)).open.draft, long, 'the draft has no wrap breaks');
    const grown = await widget(page, 'composer.input');
    assert.ok(grown.h > oneLine.h * 2, `composer grew: ${oneLine.h} -> ${grown.h}`);
    assert.equal(grown.w, oneLine.w, 'the composer wraps instead of widening');
    await shot(page, '08b-long-composer');
    await page.keyboard.press('Enter');
    await until(page, (t) => window.sessionTab.state(3).open.messages.some((m) => m.body === t), long);
    await frames(page, 3);
    const bubble = (await state(page, 3)).open.messages.find((m) => m.body === long);
    const r = await widget(page, `message.${bubble.id}`);
    const width = await page.evaluate(() => document.getElementById('canvas').width);
    assert.ok(r.x + r.w < width, 'the bubble stays inside the window');
    assert.ok(r.h > oneLine.h * 2, 'the bubble wraps its text');
    assert.equal((await widget(page, 'composer.input')).h, oneLine.h, 'back to one line after sending');
    await shot(page, '08c-long-bubble');
  });

  await step('emoji typed through the text bridge are sent as typed and drawn from the UI font', async () => {
    const text = 'Emoji: 😀 😂 🤣 😍 😘 🤔 🙄 👍 👍🏽 👋 🙏 💪 ❤️ 💔 💜 🔥 🎉 ✨ ✅ 💯 🚀 ☕';
    await click(page, 'composer.input');
    await page.keyboard.insertText(text);
    await frames(page, 3);
    assert.equal((await state(page, 0)).open.draft, text);
    await page.keyboard.press('Enter');
    await until(page, (t) => window.sessionTab.state(3).open.messages.some((m) => m.body === t), text);
    await frames(page, 3);
    await shot(page, '08d-emoji');
  });

  await step('panels: accounts, my Session ID with QR code, network, new conversation', async () => {
    await click(page, 'sidebar.accounts');
    const me = (await state(page)).account.session_id;
    await widget(page, `accounts.${me}`);
    await shot(page, '09-accounts');
    await click(page, `accounts.${me}`);
    await widget(page, 'my_id.qr');
    await shot(page, '09-my-id');
    await click(page, 'my_id.copy');
    const id = (await state(page)).account.session_id;
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), id);
    await click(page, 'sidebar.network');
    await shot(page, '10-network');
    await click(page, 'sidebar.new');
    await widget(page, 'new_conversation.input');
    await frames(page);
    await page.keyboard.type('05zz');
    await frames(page);
    await shot(page, '11-new-invalid');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
    const peer = '05' + 'ab'.repeat(32);
    await page.keyboard.insertText(peer);
    await frames(page);
    await click(page, 'new_conversation.start');
    await until(page, (p) => window.sessionTab.state().open?.peer_session_id === p, peer);
    await shot(page, '12-new-open');
  });

  // One page at a time from here: a second animating page would share the CPU with the one measured.
  const errors = messages.filter((m) => m.startsWith('pageerror') || m.startsWith('error'));
  if (errors.length) console.log('page errors:\n' + errors.join('\n'));
  await context.close();

  await step('restore: a 13-word phrase typed at machine speed and Restore clicked at once arrives whole', async () => {
    assert.ok(created, 'the create step ran');
    const r = await openApp(browser, `${server.url}fixture.html`);
    try {
      await until(r.page, () => window.sessionTab.state().loading === false);
      await click(r.page, 'onboarding.restore');
      await widget(r.page, 'onboarding.phrase_input');
      await frames(r.page);
      // Where Restore is once the 13 words are in: the word grid under the field grows with them.
      await r.page.keyboard.insertText(created.phrase);
      await frames(r.page);
      const restore = await widget(r.page, 'onboarding.restore_submit');
      await r.page.keyboard.press('Control+A');
      await r.page.keyboard.press('Backspace');
      await frames(r.page);
      // A fast typist: every key at machine speed, then the click, before any of it is drawn.
      await burst(r.page, fast.type(created.phrase), fast.click(restore));
      await nextFrame(r.page);
      const first = (await state(r.page, 0)).onboarding;
      assert.ok(first.busy || first.step === 'choose_name' || first.phrase_problem,
                'Restore was handled in the first frame after the click, after all the text');
      // The fixture checks the phrase as the product does and shows the phrase's own Session ID.
      await until(r.page, () => { const o = window.sessionTab.state(0).onboarding;
        return o.step === 'choose_name' || o.phrase_problem; }, null, 15000);
      const s = await state(r.page, 0);
      assert.equal(s.onboarding.phrase_problem, null);
      assert.equal(s.onboarding.new_session_id, created.id);
    } finally {
      await r.context.close();
    }
  });

  await step('narrow phone layout at devicePixelRatio 3', async () => {
    const phone = await openApp(browser, `${server.url}fixture.html?state=main`, { width: 390, height: 844, scale: 3 });
    await until(phone.page, () => window.sessionTab.state().account !== null);
    await frames(phone.page, 3);
    await shot(phone.page, '13-phone-list');
    const s = await state(phone.page);
    await click(phone.page, `conversation.${s.conversations[1].peer_session_id}`);
    await frames(phone.page, 3);
    await shot(phone.page, '14-phone-conversation');
    const canvas = await phone.page.evaluate(() => [document.getElementById('canvas').width, innerWidth]);
    assert.equal(canvas[0], canvas[1] * 3, 'canvas backing store follows devicePixelRatio');
    await phone.context.close();
  });

  await step('100k messages: open, scroll with the wheel, jump back to the latest', async () => {
    const big = await openApp(browser, `${server.url}fixture.html?state=main&messages=100000`);
    await until(big.page, () => window.sessionTab.state(0).account !== null);
    const s = await state(big.page, 0);
    const bob = s.conversations.find((c) => c.title === 'Bob');
    await click(big.page, `conversation.${bob.peer_session_id}`);
    await until(big.page, () => window.sessionTab.state(0).open?.message_count === 100000);
    await frames(big.page, 5);
    const list = await widget(big.page, 'composer.input');
    await big.page.mouse.move(list.x + 200, list.y - 200);
    const t0 = await big.page.evaluate(() => [performance.now(), window.sessionTab.frames()]);
    for (let i = 0; i < 40; i++) {
      await big.page.mouse.wheel(0, -1200);
      await big.page.waitForTimeout(16);
    }
    const t1 = await big.page.evaluate(() => [performance.now(), window.sessionTab.frames()]);
    results.scroll100k = { ms: Math.round(t1[0] - t0[0]), frames: t1[1] - t0[1],
                           cpuMsPerFrame: await big.page.evaluate(() => window.sessionTab.frameMs()) };
    await shot(big.page, '15-100k-scrolled');
    await click(big.page, 'messages.jump_latest');
    await frames(big.page, 5);
    await shot(big.page, '16-100k-latest');
    results.memory100k = await big.page.evaluate(() => window.sessionTab.memory());
    await big.context.close();
  });

  // Contacts (protocol §8.4-8.6) with the fixture's canned requests, typing contact and settings;
  // ?page=50: Bob's conversation shows only its newest 50 messages until older ones are asked for.
  const app = await openApp(browser, `${server.url}fixture.html?state=main&page=50`);
  const p = app.page;
  await until(p, () => window.sessionTab.state(0).account !== null);
  const fixtureState = await state(p, 0);
  const byTitle = (list, t) => list.find((c) => c.title === t);

  await step('message requests: a row with the count, the list, an open request, accept', async () => {
    assert.equal(fixtureState.requests.length, 2);
    assert.ok(!fixtureState.conversations.some((c) => c.title === 'Dana'), 'requests are not in the main list');
    await widget(p, 'sidebar.requests');
    await frames(p);
    await shot(p, '17-requests-row');
    await click(p, 'sidebar.requests');
    const dana = byTitle(fixtureState.requests, 'Dana');
    await widget(p, `request.${dana.peer_session_id}`);
    await shot(p, '18-requests-list');
    await click(p, `request.${dana.peer_session_id}`);
    await until(p, () => window.sessionTab.state(0).open?.is_request === true);
    await widget(p, 'request.accept');
    await shot(p, '19-request-open');
    await click(p, 'request.accept');
    await until(p, (id) => { const s = window.sessionTab.state(0);
      return !s.open.is_request && s.conversations.some((c) => c.peer_session_id === id) && s.requests.length === 1; }, dana.peer_session_id);
    await click(p, 'requests.clear_all');
    await widget(p, 'requests.clear_confirm');
    await shot(p, '18b-requests-clear-confirm');
    await click(p, 'requests.clear_confirm');
    await until(p, () => window.sessionTab.state(0).requests.length === 0);
    await click(p, 'requests.back');
    assert.equal(await p.evaluate(() => window.sessionTab.rect('sidebar.requests')), null, 'no requests row without requests');
  });

  await step('typing: "typing…" in the row and under the title', async () => {
    const elena = byTitle(fixtureState.conversations, 'Καλημέρα Ελένη');
    assert.equal(elena.typing, true);
    await click(p, `conversation.${elena.peer_session_id}`);
    await until(p, () => window.sessionTab.state(0).open?.typing === true);
    await shot(p, '20-typing');
  });

  await step('contact panel: nickname set and removed, block asks first, unblock', async () => {
    await click(p, 'conversation.title');
    await widget(p, 'contact.nickname_input');
    await click(p, 'contact.nickname_input');
    await p.keyboard.type('Lena');
    await frames(p);
    await click(p, 'contact.nickname_save');
    await until(p, () => window.sessionTab.state(0).open.title === 'Lena');
    await shot(p, '21-contact-panel');
    await click(p, 'contact.block');
    await widget(p, 'contact.block_confirm');
    await click(p, 'contact.block_confirm');
    await until(p, () => window.sessionTab.state(0).open.blocked === true);
    await click(p, 'conversation.title');
    await widget(p, 'conversation.unblock');
    await shot(p, '22-blocked');
    await click(p, 'conversation.unblock');
    await until(p, () => window.sessionTab.state(0).open.blocked === false);
    await click(p, 'conversation.title');
    await click(p, 'contact.nickname_clear');
    await until(p, () => window.sessionTab.state(0).open.title === 'Καλημέρα Ελένη');
    await click(p, 'conversation.title');
  });

  await step('our request not answered yet shows a quiet hint', async () => {
    const unnamed = fixtureState.conversations[3];
    await click(p, `conversation.${unnamed.peer_session_id}`);
    await until(p, () => window.sessionTab.state(0).open?.awaiting_approval === true);
    await widget(p, 'conversation.awaiting_approval');
    await shot(p, '23-awaiting-approval');
  });

  await step('settings: switches, blocked contacts, recovery phrase after a warning, about', async () => {
    await click(p, 'sidebar.settings');
    await widget(p, 'settings.read_receipts');
    await shot(p, '24-settings');
    await click(p, 'settings.read_receipts');
    await until(p, () => window.sessionTab.state(0).settings.read_receipts === true);
    const mallory = fixtureState.settings.blocked[0];
    await click(p, `settings.unblock.${mallory.session_id}`);
    await until(p, () => window.sessionTab.state(0).settings.blocked.length === 0);
    assert.equal((await state(p, 0)).settings.recovery_phrase, '', 'no phrase before it is revealed');
    await click(p, 'settings.reveal');
    await widget(p, 'settings.reveal_confirm');
    await shot(p, '25-settings-reveal-warning');
    await click(p, 'settings.reveal_confirm');
    await widget(p, 'settings.phrase');
    await shot(p, '26-settings-phrase');
    await click(p, 'settings.copy_phrase');
    assert.equal((await p.evaluate(() => navigator.clipboard.readText())).split(' ').length, 13);
    await click(p, 'panel.close');
    await until(p, () => window.sessionTab.state(0).settings.recovery_phrase === '');
    // The display name, with the core's sentence when refused.
    await click(p, 'sidebar.settings');
    await click(p, 'settings.name_input');
    await p.keyboard.press('Control+A');
    await p.keyboard.insertText('x'.repeat(70));
    await frames(p);
    await click(p, 'settings.name_save');
    await widget(p, 'settings.name_problem');
    await shot(p, '27-settings-name-problem');
    await click(p, 'settings.name_input');
    await p.keyboard.press('Control+A');
    await p.keyboard.insertText('Alice Ng');
    await p.keyboard.press('Enter');
    await until(p, () => window.sessionTab.state(0).account.display_name === 'Alice Ng');
    await click(p, 'panel.close');
  });

  await step('read receipts on: our message shows Read', async () => {
    const bob = byTitle(fixtureState.conversations, 'Bob');
    await click(p, `conversation.${bob.peer_session_id}`);
    await until(p, () => window.sessionTab.state(0).open?.title === 'Bob');
    await frames(p, 3);
    await click(p, 'composer.input');
    await p.keyboard.type('Did you read this?');
    await p.keyboard.press('Enter');
    await until(p, () => window.sessionTab.state(5).open.messages.some((m) => m.body === 'Did you read this?' && m.delivery === 'read'));
    await shot(p, '28-read');
  });

  await step('older messages: the top of the list asks once for the page before and keeps the place', async () => {
    const before = await state(p, 1000);
    assert.equal(before.open.has_older, true);
    const count = before.open.message_count;
    const list = await widget(p, 'composer.input');
    await p.mouse.move(list.x + list.w / 2, list.y - 150);
    for (let i = 0; i < 40 && !(await state(p, 0)).open.loading && (await state(p, 0)).open.message_count === count; i++) {
      await p.mouse.wheel(0, -400);
      await frames(p, 1);
    }
    // The oldest message of the old window is on screen; after the page arrives it stays put.
    const anchor = before.open.messages[0].id;
    const r0 = await widget(p, `message.${anchor}`);
    await until(p, (n) => window.sessionTab.state(0).open.message_count > n, count);
    await frames(p, 3);
    const r1 = await widget(p, `message.${anchor}`);
    assert.ok(Math.abs(r1.y - r0.y) < 4, `the message read stays in place: ${r0.y} -> ${r1.y}`);
    await shot(p, '29-older-loaded');
  });

  await step('new conversation by ONS name: looked up, then opened', async () => {
    await click(p, 'sidebar.new');
    await widget(p, 'new_conversation.input');
    await frames(p);
    await p.keyboard.type('nobody');
    await frames(p);
    await click(p, 'new_conversation.start');
    await widget(p, 'new_conversation.resolving');
    await shot(p, '30-ons-resolving');
    await until(p, () => window.sessionTab.state(0).new_conversation_problem !== null);
    await frames(p);
    await shot(p, '31-ons-not-found');
    await click(p, 'new_conversation.input');
    await p.keyboard.press('Control+A');
    await p.keyboard.type('carol_b');
    await frames(p);
    await click(p, 'new_conversation.start');
    await until(p, () => window.sessionTab.state(0).open?.title === 'carol_b');
  });
  await app.context.close();

  // Deletion and disappearing messages (issue 14) with the fixture's third conversation (a message
  // deleted for everyone, a notice line, a message disappearing within the hour).
  const del = await openApp(browser, `${server.url}fixture.html?state=main`);
  const d = del.page;
  await until(d, () => window.sessionTab.state(0).account !== null);
  const an = (await state(d, 0)).conversations.find((c) => c.title === 'Nguyễn Văn An');
  const msgs = (max = 50) => d.evaluate((m) => window.sessionTab.state(m).open?.messages ?? [], max);
  const rightClick = async (name) => {
    const r = await widget(d, name);
    await d.mouse.click(r.x + r.w / 2, r.y + r.h / 2, { button: 'right' });
    await frames(d);
  };
  const gone = (name) => until(d, (n) => window.sessionTab.rect(n) === null, name);
  // Rolls the wheel over the open panel until the widget is on screen.
  const scrollTo = async (name) => {
    await d.mouse.move(900, 400);  // over the panel (right of the sidebar)
    for (let i = 0; i < 40 && !(await d.evaluate((n) => window.sessionTab.rect(n), name)); i++) {
      await d.mouse.wheel(0, 300);
      await frames(d, 2);
    }
    return widget(d, name, 5000);
  };

  await step('deletion: a deleted message, a notice line and a countdown are drawn', async () => {
    await click(d, `conversation.${an.peer_session_id}`);
    await until(d, (p) => window.sessionTab.state(0).open?.peer_session_id === p, an.peer_session_id);
    const m = await msgs();
    assert.equal(m.find((x) => x.id === 'deleted-1').kind, 'deleted');
    assert.equal(m.find((x) => x.id === 'notice-1').kind, 'notice');
    assert.ok(m.find((x) => x.id === 'disappearing-1').expires_ms > Date.now());
    await widget(d, 'message.deleted-1');
    await widget(d, 'message.notice-1');
    await widget(d, 'message.disappearing-1.countdown');
    await widget(d, 'conversation.disappearing_text');
    assert.equal((await state(d, 0)).open.disappearing_text, 'Disappear after read: 1 hour');
    await shot(d, '35-deletion-rows');
  });

  await step('message menu: right-click and long press open it; Copy text; Delete for everyone only on ours, each asked first', async () => {
    // Theirs: Copy text and Delete for me, no Delete for everyone.
    await rightClick('message.disappearing-1');
    await widget(d, 'message_menu.copy');
    await widget(d, 'message_menu.delete_for_me');
    assert.equal(await d.evaluate(() => window.sessionTab.rect('message_menu.delete_for_everyone')), null);
    await shot(d, '36-message-menu');
    await click(d, 'message_menu.copy');
    assert.equal(await d.evaluate(() => navigator.clipboard.readText()), 'This one disappears within the hour.');
    await gone('message_menu.copy');
    // Ours, sent: Delete for everyone, after a confirmation; the bubble becomes the placeholder.
    await click(d, 'composer.input');
    await d.keyboard.type('Unsend me');
    await d.keyboard.press('Enter');
    const mine = await until(d, () => window.sessionTab.state(5).open.messages.find((m) => m.body === 'Unsend me' && m.delivery === 'sent'));
    await rightClick(`message.${mine.id}`);
    await click(d, 'message_menu.delete_for_everyone');
    await widget(d, 'confirm.ok');
    await shot(d, '37-confirm-delete-for-everyone');
    await click(d, 'confirm.ok');
    await until(d, (id) => window.sessionTab.state(10).open.messages.find((m) => m.id === id)?.kind === 'deleted', mine.id);
    await gone('confirm.ok');
    await shot(d, '38-deleted-for-everyone');
    // Delete for me on their reply: Cancel keeps it, confirmed removes it.
    const reply = await until(d, () => window.sessionTab.state(5).open.messages.find((m) => m.body === 'You said: Unsend me'));
    await rightClick(`message.${reply.id}`);
    await click(d, 'message_menu.delete_for_me');
    await click(d, 'confirm.cancel');
    await gone('confirm.cancel');
    assert.ok((await msgs()).some((m) => m.id === reply.id), 'Cancel deletes nothing');
    await rightClick(`message.${reply.id}`);
    await click(d, 'message_menu.delete_for_me');
    await click(d, 'confirm.ok');
    await until(d, (id) => !window.sessionTab.state(20).open.messages.some((m) => m.id === id), reply.id);
    // A long press (pointer held without moving) opens the menu too; Escape closes it.
    const bubble = await widget(d, 'message.disappearing-1');
    await d.mouse.move(bubble.x + bubble.w / 2, bubble.y + bubble.h / 2);
    await d.mouse.down();
    await widget(d, 'message_menu.delete_for_me', 5000);
    await d.mouse.up();
    await d.keyboard.press('Escape');
    await gone('message_menu.delete_for_me');
    // The keyboard: a clicked bubble, Delete → asked to delete it for me; Escape cancels.
    await click(d, 'message.disappearing-1');
    await d.keyboard.press('Delete');
    await widget(d, 'confirm.ok');
    await d.keyboard.press('Escape');
    await gone('confirm.ok');
    assert.ok((await msgs()).some((m) => m.id === 'disappearing-1'));
  });

  await step('disappearing messages: the timer menu sets after send 10 s; a message sent counts down and vanishes', async () => {
    await click(d, 'conversation.disappearing');
    await widget(d, 'disappearing.after_send.10');
    await shot(d, '39-disappearing-menu');
    await click(d, 'disappearing.after_send.10');
    const open = await until(d, () => { const o = window.sessionTab.state(5).open;
      return o.disappearing === 'after_send' && o.disappearing_seconds === 10 && o; });
    assert.equal(open.disappearing_text, 'Disappear after send: 10 seconds');
    assert.ok(open.messages.some((m) => m.kind === 'notice' && m.body.includes('10 seconds')), 'a notice line says so');
    await click(d, 'composer.input');
    await d.keyboard.type('Gone in ten');
    await d.keyboard.press('Enter');
    const m = await until(d, () => window.sessionTab.state(5).open.messages.find((x) => x.body === 'Gone in ten' && x.expires_ms > 0));
    await widget(d, `message.${m.id}.countdown`);
    await shot(d, '40-countdown');
    await until(d, () => !window.sessionTab.state(10).open.messages.some((x) => x.body === 'Gone in ten'), null, 30000);
    await click(d, 'conversation.disappearing');
    await click(d, 'disappearing.off');
    await until(d, () => window.sessionTab.state(0).open.disappearing === 'off');
  });

  await step('delete conversation: from the conversation menu, asked first', async () => {
    await click(d, 'conversation.menu');
    await click(d, 'conversation.delete');
    await widget(d, 'confirm.ok');
    await shot(d, '41-confirm-delete-conversation');
    await click(d, 'confirm.ok');
    await until(d, (p) => { const s = window.sessionTab.state(0);
      return s.open === null && !s.conversations.some((c) => c.peer_session_id === p); }, an.peer_session_id);
  });

  await step('clear device and network: the swarm members, a failure with Retry, then the welcome screen', async () => {
    await click(d, 'sidebar.settings');
    await scrollTo('settings.clear_network');
    await shot(d, '42-settings-clear');
    await click(d, 'settings.clear_network');
    await widget(d, 'confirm.ok');
    await shot(d, '43-confirm-clear-network');
    await click(d, 'confirm.ok');
    await until(d, () => window.sessionTab.state(0).settings.clear_network.stage === 'working');
    await widget(d, 'settings.clear_network_panel');
    await scrollTo('settings.clear_network_member.3');
    await shot(d, '44-clear-network-working');
    const failed = await until(d, () => { const c = window.sessionTab.state(0).settings.clear_network; return c.stage === 'failed' && c; });
    assert.ok(failed.problem.text.length > 0);
    assert.equal((await state(d, 0)).account !== null, true, 'nothing deleted on this device');
    await scrollTo('settings.clear_network_retry');
    await widget(d, 'settings.clear_network_problem');
    await widget(d, 'settings.clear_network_close');
    await shot(d, '45-clear-network-failed');
    await click(d, 'settings.clear_network_retry');
    await until(d, () => window.sessionTab.state(0).account === null, null, 15000);
    await widget(d, 'onboarding.create');
  });
  await del.context.close();

  await step('clear device: asked first, naming the account; then the welcome screen', async () => {
    const cd = await openApp(browser, `${server.url}fixture.html?state=main`);
    try {
      await until(cd.page, () => window.sessionTab.state(0).account !== null);
      await click(cd.page, 'sidebar.settings');
      await cd.page.mouse.move(900, 400);  // over the panel (right of the sidebar)
      for (let i = 0; i < 40 && !(await cd.page.evaluate(() => window.sessionTab.rect('settings.clear_device'))); i++) {
        await cd.page.mouse.wheel(0, 300);
        await frames(cd.page, 2);
      }
      await click(cd.page, 'settings.clear_device');
      await widget(cd.page, 'confirm.ok');
      await shot(cd.page, '46-confirm-clear-device');
      await click(cd.page, 'confirm.ok');
      await until(cd.page, () => window.sessionTab.state(0).account === null);
      await widget(cd.page, 'onboarding.create');
    } finally {
      await cd.context.close();
    }
  });

  await step('phone layout: requests, a request, settings', async () => {
    const phone = await openApp(browser, `${server.url}fixture.html?state=main`, { width: 390, height: 844, scale: 3 });
    const q = phone.page;
    await until(q, () => window.sessionTab.state(0).account !== null);
    await frames(q, 3);
    await click(q, 'sidebar.requests');
    const s = await state(q, 0);
    await widget(q, `request.${s.requests[0].peer_session_id}`);
    await shot(q, '32-phone-requests');
    await click(q, `request.${s.requests[0].peer_session_id}`);
    await widget(q, 'request.block');
    await shot(q, '33-phone-request-open');
    const block = await widget(q, 'request.block');
    assert.ok(block.x + block.w <= 390, 'the request bar fits the phone');
    await click(q, 'conversation.back');
    await click(q, 'requests.back');
    await click(q, 'sidebar.settings');
    await widget(q, 'settings.typing');
    await shot(q, '34-phone-settings');
    await phone.context.close();
  });

} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(results));
if (failures) {
  console.log(`${failures} step(s) failed`);
  process.exit(1);
}
