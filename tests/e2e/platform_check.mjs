// Runs wasm/dev/platform_check.cpp in Chromium: FetchTransport against a loopback server (status,
// binary bodies, timeout, cancel, size limit, CSP-blocked origin, bad URL) and IdbKvStore against
// IndexedDB (the KvStore contract, byte order of binary keys, a 1 MB batch, data kept across a
// reload). Exit code 1 if any check fails.
//   node tests/e2e/platform_check.mjs <site dir>
import { launch, serve, until } from './support/browser.mjs';

const site = process.argv[2] || 'build/wasm/wasm/site';
const server = await serve(site);
const browser = await launch();
let failed = 0;
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  for (const phase of ['', '?phase=reload']) {
    await page.goto(`${server.url}platform_check.html${phase}`);
    const result = await until(page, () => window.platformCheck && window.platformCheck.done &&
                                            window.platformCheck, null, 60000);
    for (const name of result.passed) console.log(`ok   ${name}`);
    for (const failure of result.failures) console.log(`FAIL ${failure}`);
    failed += result.failures.length;
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
