// Memory after many messages (issue 6's report): two accounts in two tabs; A types N messages
// (default 1,000) to B through the composer; once B shows all of them, both tabs' JS heap (after a
// forced garbage collection) and wasm memory are printed as a table, next to the same numbers
// taken before the first message. Not part of ctest: it takes several minutes.
//   tests/e2e/chat_e2e.sh build/native build/wasm/wasm/site build/e2e-artifacts/memory memory.mjs [N]
// or against a running tools/run: node tests/e2e/memory.mjs http://127.0.0.1:8080/ [artifacts] [N]
//
// How the messages are typed: each one is inserted into the composer as one text input (what a
// paste or an IME commit does) and sent with the Enter key once the composer shows it, without
// waiting for the previous one to be stored: the outbox sends them one at a time, in order.
// Typing every character with keyboard.type would take ~70 key events per message and add
// nothing this measurement needs (chat.mjs types character by character).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { click, frames, launch, until } from './support/browser.mjs';
import { createAccount, dumpTabs, openTab, send, startConversation } from './support/session.mjs';

const base = process.argv[2] || 'http://127.0.0.1:8080/';
const out = process.argv[3] || 'build/e2e-artifacts/memory';
const total = Number(process.argv[4] || process.env.MESSAGES || 1000);
await mkdir(out, { recursive: true });
const browser = await launch();

// JS heap after a full garbage collection (Chrome DevTools Protocol), wasm memory, DOM size.
async function memory(tab) {
  const cdp = tab.cdp || (tab.cdp = await tab.context.newCDPSession(tab.page));
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null;
  const hook = await tab.page.evaluate(() => ({
    ...window.sessionTab.memory(),
    isolated: self.crossOriginIsolated === true,
    uaMemory: typeof performance.measureUserAgentSpecificMemory === 'function',
  }));
  return {
    wasm: hook.wasm, jsHeapUsed: metric('JSHeapUsedSize'), jsHeapTotal: metric('JSHeapTotalSize'),
    perfMemoryUsed: hook.jsHeap, domNodes: metric('Nodes'), uaMemory: hook.uaMemory,
    isolated: hook.isolated,
  };
}

const mib = (x) => (x === null || x === undefined ? 'n/a' : (x / 1048576).toFixed(1) + ' MiB');

const tabs = {};
try {
  const a = tabs.A = await openTab(browser, base, 'A');
  const b = tabs.B = await openTab(browser, base, 'B');
  const alice = await createAccount(a.page, 'Alice');
  const bob = await createAccount(b.page, 'Bob');
  // B approves A first, so A's messages land in B's list rather than in its message requests.
  await startConversation(b.page, alice.id);
  await click(b.page, 'conversation.close');
  await startConversation(a.page, bob.id);
  await send(a.page, 'hello');
  await until(b.page, (id) => window.sessionTab.state(0).conversations.some((c) => c.peer_session_id === id), alice.id, 90000);
  await click(b.page, `conversation.${alice.id}`);
  await until(b.page, () => window.sessionTab.state(1).open?.message_count >= 1, null, 30000);
  const before = { A: await memory(a), B: await memory(b) };

  const t0 = Date.now();
  for (let i = 0; i < total; i++) {
    const text = `message ${i} of ${total}: the quick brown fox jumps over the lazy dog`;
    await a.page.keyboard.insertText(text);
    // Enter once the composer shows the text, as a person would; then the composer is empty.
    await until(a.page, (x) => window.sessionTab.state(0).open.draft === x, text);
    await a.page.keyboard.press('Enter');
    // Sent, and the composer has the keyboard again (Enter ends ImGui's edit; the composer takes
    // the keyboard back a frame or two later): one message at a time, see README.
    await until(a.page, () => window.sessionTab.state(0).open.draft === '' &&
      document.activeElement && document.activeElement.id === 'st-text-input');
    await frames(a.page, 2);
    if ((i + 1) % 100 === 0) {
      const s = await a.page.evaluate(() => window.sessionTab.state(0).network.outbox);
      console.log(`typed ${i + 1} (${Math.round((Date.now() - t0) / 1000)} s), A's outbox ${s}`);
    }
  }
  const typedMs = Date.now() - t0;
  const expected = total + 1;  // and "hello"
  let shown = 0;
  for (let last = -1, stable = 0; ;) {
    const [na, nb, outbox] = [
      await a.page.evaluate(() => window.sessionTab.state(0).open.message_count),
      await b.page.evaluate(() => window.sessionTab.state(0).open.message_count),
      await a.page.evaluate(() => window.sessionTab.state(0).network.outbox)];
    shown = na;
    stable = outbox === 0 && nb === last ? stable + 1 : 0;
    last = nb;
    if (nb >= expected && outbox === 0) break;
    if (stable >= 6) break;  // A's outbox is empty and B got nothing new for a minute
    if (Date.now() - t0 > 60 * 60 * 1000) throw new Error(`after an hour: A ${na}, B ${nb}, outbox ${outbox}`);
    console.log(`waiting: A shows ${na}, B has ${nb}/${expected}, A's outbox ${outbox} (${Math.round((Date.now() - t0) / 1000)} s)`);
    await new Promise((r) => setTimeout(r, 10000));
  }
  assert.equal(shown, expected, `A shows ${shown} of the ${expected} messages typed`);
  const deliveredMs = Date.now() - t0;
  // Every message exactly once, in order, on both sides; A's all "sent".
  for (const [tab, outgoing] of [[a, true], [b, false]]) {
    const msgs = await tab.page.evaluate((n) => window.sessionTab.state(n).open.messages, expected + 10);
    const probes = msgs.filter((m) => m.body.startsWith('message '));
    assert.equal(probes.length, total);
    probes.forEach((m, i) => {
      assert.ok(m.body.startsWith(`message ${i} of`), `#${i}: ${m.body}`);
      assert.equal(m.outgoing, outgoing);
      if (outgoing) assert.equal(m.delivery, 'sent');
    });
  }
  await frames(b.page);
  await b.page.screenshot({ path: join(out, 'b-after.png') });
  const after = { A: await memory(a), B: await memory(b) };

  console.log(`\n${total} messages typed in ${(typedMs / 1000).toFixed(0)} s, all on B after ${(deliveredMs / 1000).toFixed(0)} s\n`);
  console.log('| tab | when | wasm memory | JS heap used (after GC) | JS heap total | DOM nodes |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const [name, m] of [['A', before.A], ['B', before.B]]) {
    console.log(`| ${name} | 1 message | ${mib(m.wasm)} | ${mib(m.jsHeapUsed)} | ${mib(m.jsHeapTotal)} | ${m.domNodes} |`);
  }
  for (const [name, m] of [['A', after.A], ['B', after.B]]) {
    console.log(`| ${name} | ${total + 1} messages | ${mib(m.wasm)} | ${mib(m.jsHeapUsed)} | ${mib(m.jsHeapTotal)} | ${m.domNodes} |`);
  }
  console.log(`\nperformance.measureUserAgentSpecificMemory: ${after.A.uaMemory ? 'present' : 'absent'}` +
    ` (crossOriginIsolated ${after.A.isolated}: the page is not cross-origin isolated, so Chromium does not offer it)`);
  console.log(JSON.stringify({ total, typedMs, deliveredMs, before, after }));
} catch (error) {
  await dumpTabs(tabs, out);
  throw error;
} finally {
  await browser.close();
}
