// What a person does in the product (index.html behind a relay), shared by chat.mjs and
// memory.mjs: open a tab, create an account, start a conversation by Session ID.
import assert from 'node:assert/strict';
import { click, frames, state, until, widget } from './browser.mjs';

// A fresh browser context (its own IndexedDB) with the app loaded and its stored state read.
// Returns { context, page, firstFrameMs }.
export async function openTab(browser, base, name) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[${name}] pageerror: ${e.message}`));
  // Refused connections are what the relay-down check provokes (Chromium logs each failed fetch);
  // the test asserts on the app's state instead.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('ERR_CONNECTION_REFUSED')) console.log(`[${name}] ${m.text()}`);
  });
  await page.goto(base);
  await until(page, () => Boolean(window.sessionTab && window.sessionTab.firstFrameMs), null, 60000);
  const firstFrameMs = await page.evaluate(() => window.sessionTab.firstFrameMs);
  await until(page, () => window.sessionTab.state(0).loading === false, null, 60000);
  return { context, page, firstFrameMs };
}

// Welcome → create → "I have saved it" → display name. Returns { phrase, id }.
export async function createAccount(page, displayName) {
  await click(page, 'onboarding.create');
  // The phrase is made once the click is handled (a frame may pass under load).
  const phrase = await until(page, () => {
    const o = window.sessionTab.state(0).onboarding;
    return o && o.phrase;
  }, null, 30000);
  assert.equal(phrase.split(' ').length, 13);
  await click(page, 'onboarding.saved');
  await widget(page, 'onboarding.name_input');
  await frames(page);
  await page.keyboard.type(displayName);
  await page.keyboard.press('Enter');
  const s = await until(page, () => { const s = window.sessionTab.state(0); return s.account && s; }, null, 60000);
  return { phrase, id: s.account.session_id };
}

// After a failure: a screenshot and the state (no phrase: state() shows it only on ShowPhrase) of
// each tab, so a flaky step can be diagnosed from the artifacts.
export async function dumpTabs(tabs, dir) {
  for (const [name, tab] of Object.entries(tabs)) {
    if (!tab) continue;
    try {
      await tab.page.screenshot({ path: `${dir}/failure-${name}.png` });
      const s = await tab.page.evaluate(() => window.sessionTab.state(5));
      console.log(`[${name}] state at failure: ${JSON.stringify({ ...s, onboarding: { step: s.onboarding.step } })}`);
    } catch (error) {
      console.log(`[${name}] no state at failure: ${error.message}`);
    }
  }
}

// "New conversation", paste the peer's Session ID, start: the conversation opens.
export async function startConversation(page, peerId) {
  await click(page, 'sidebar.new');
  await widget(page, 'new_conversation.input');
  await frames(page);
  await page.keyboard.insertText(peerId);
  // The check line under the field ("A valid Session ID.") moves the button: click where it is
  // once the text has been drawn, as a person would.
  await frames(page);
  await click(page, 'new_conversation.start');
  await until(page, (id) => window.sessionTab.state(0).open?.peer_session_id === id, peerId);
  await frames(page, 3);
}

// Types `text` into the open conversation's composer and presses Enter.
export async function send(page, text) {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}
