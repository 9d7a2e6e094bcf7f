// Runs wasm/dev/platform_check.cpp in Chromium: FetchTransport against a loopback server (status,
// binary bodies, timeout, cancel, size limit, CSP-blocked origin, bad URL) and IdbKvStore against
// IndexedDB (the KvStore contract in both scan orders, byte order of binary keys, a 1 MB batch,
// the write queue: 200 batches merged in order, reads ordered after writes, an injected
// QuotaExceededError; data kept across reloads, also when the reload comes right after a write or
// with writes still queued at `pagehide`). Prints what one readwrite transaction costs with each
// durability. Exit code 1 if any check fails.
//   node tests/e2e/platform_check.mjs <site dir>
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, serve, until } from './support/browser.mjs';

const site = process.argv[2] || 'build/wasm/wasm/site';
const server = await serve(site);
// A profile on disk: a plain browser context is off the record and keeps IndexedDB in memory,
// where durability and reloads would not be what a person's browser does.
const profile = mkdtempSync(join(tmpdir(), 'st-platform-check-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
});
let failed = 0;

async function results(page) {
  const result = await until(page, () => window.platformCheck && window.platformCheck.done &&
                                          window.platformCheck, null, 60000);
  for (const name of result.passed) console.log(`ok   ${name}`);
  for (const failure of result.failures) console.log(`FAIL ${failure}`);
  failed += result.failures.length;
}

// Median and 90th percentile of one single-put readwrite transaction per durability, in ms.
async function durabilityCost(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('durability-cost', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('kv');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const one = (durability, i) => new Promise((resolve, reject) => {
      const start = performance.now();
      const tx = db.transaction('kv', 'readwrite', durability ? { durability } : undefined);
      tx.objectStore('kv').put(new Uint8Array(200).buffer, `k${i}`);
      tx.oncomplete = () => resolve(performance.now() - start);
      tx.onabort = () => reject(tx.error);
      tx.commit();
    });
    const samples = { strict: [], relaxed: [], default: [], unset: [] };
    for (let round = 0; round < 50; round++) {  // interleaved: a busy moment hits every mode
      for (const mode of Object.keys(samples)) {
        samples[mode].push(await one(mode === 'unset' ? null : mode, round));
      }
    }
    db.close();
    const out = {};
    for (const [mode, xs] of Object.entries(samples)) {
      xs.sort((a, b) => a - b);
      out[mode] = { median: xs[Math.floor(xs.length / 2)], p90: xs[Math.floor(xs.length * 0.9)] };
    }
    return out;
  });
}

try {
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(`${server.url}platform_check.html`);
  await results(page);

  const cost = await durabilityCost(page);
  console.log('info one readwrite transaction (ms, median / p90): ' + Object.entries(cost)
    .map(([mode, c]) => `${mode} ${c.median.toFixed(2)} / ${c.p90.toFixed(2)}`).join(', '));

  // A write, then page.reload() at once.
  await page.goto(`${server.url}platform_check.html?phase=write`);
  await results(page);
  await page.evaluate(() => window.platformCheckWrite(0));
  await page.reload();
  await results(page);
  // A burst of writes and the reload in the same task. The burst starts with a large batch
  // (30,000 entries, an import) whose transaction is still running at `pagehide`: the rest of the
  // burst is then still queued in IdbKvStore, and the page runs no task after `pagehide` in which
  // the queue could move on. Only flush() from the page's `pagehide` listener saves it (its
  // journal: a transaction created then behind the running one is aborted with the page).
  const reloaded = page.waitForEvent('load');
  await page.evaluate(() => { window.platformCheckWrite(1); location.reload(); })
    .catch(() => {});  // the reload may destroy the evaluation's context before it answers
  await reloaded;
  await results(page);

  await page.goto(`${server.url}platform_check.html?phase=reload`);
  await results(page);
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
