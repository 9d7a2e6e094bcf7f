// What an idle Session Tab costs, and how fast typed text shows: numbers for a person to read, no
// assertions (run by hand; not in ctest).
//   node tests/e2e/idle_cost.mjs <site dir> [--seconds N] [--url PRODUCT_URL | --product]
// For each page it waits until the page has settled, then stays idle for N seconds (default 60)
// and prints the renderer main thread's busy time (Chrome DevTools protocol
// Performance.getMetrics → TaskDuration, delta over the idle time), the CPU time of every Chromium
// process together (the GPU process rasterises WebGL with SwiftShader; from /proc) and the frames
// the page drew (window.sessionTab.frames()). Pages measured, one at a time:
//   fixture:main       fixture.html?state=main, the conversation list, no text field focused
//   fixture:composer   a conversation open, its composer focused (the text caret may blink)
//   product            PRODUCT_URL (e.g. tools/run's http://127.0.0.1:8080/), if given; with
//                      --product, the site's own index.html with no relay behind it (the app keeps
//                      retrying the network on its timers: idle as far as the UI goes)
// Then "typing": in the fixture's open conversation, 7 characters and Enter, 5 times each way:
//   keyboard.type   Playwright keyboard.type with no delay, then keyboard.press('Enter') (each
//                   event waits for the page to acknowledge the one before)
//   burst           all 16 key events handed to the browser at once (support/browser.mjs burst)
// and prints the median ms from the first key until the sent message is in the app's state, and
// until it is drawn on screen.
import { readFileSync, readdirSync } from 'node:fs';
import { burst, click, fast, frames, launch, openApp, serve, state, until, widget } from './support/browser.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const seconds = Number(option('--seconds', 60));
let productUrl = option('--url', null);
const ownProduct = args.includes('--product');
if (ownProduct) args.splice(args.indexOf('--product'), 1);
const site = args[0];
if (!site || !(seconds > 0)) {
  console.error('usage: node tests/e2e/idle_cost.mjs <site dir> [--seconds N] [--url PRODUCT_URL | --product]');
  process.exit(2);
}

const CLOCK_TICKS = 100;  // USER_HZ on Linux
// CPU seconds (user + system) of all descendants of a process (here: the Chromium that Playwright
// started from this node process), from /proc.
function descendantsCpuSeconds(rootPid) {
  const children = new Map();
  const cpu = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended while we read
    }
  }
  let total = 0;
  const stack = [...(children.get(rootPid) || [])];
  while (stack.length) {
    const pid = stack.pop();
    total += cpu.get(pid) || 0;
    stack.push(...(children.get(pid) || []));
  }
  return total;
}

async function taskDuration(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value;
}

async function measureIdle(name, page, context) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await frames(page, 5);  // settled: the host drew what it had to draw, or 5 frames went by
  const t0 = await taskDuration(cdp);
  const c0 = descendantsCpuSeconds(process.pid);
  const f0 = await page.evaluate(() => window.sessionTab.frames());
  const w0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const t1 = await taskDuration(cdp);
  const c1 = descendantsCpuSeconds(process.pid);
  const f1 = await page.evaluate(() => window.sessionTab.frames());
  const wall = (Date.now() - w0) / 1000;
  const row = {
    page: name,
    seconds: Number(wall.toFixed(1)),
    mainThreadMsPerS: Number(((t1 - t0) * 1000 / wall).toFixed(1)),
    chromiumCpuMsPerS: Number(((c1 - c0) * 1000 / wall).toFixed(1)),
    framesPerS: Number(((f1 - f0) / wall).toFixed(2)),
    frames: f1 - f0,
  };
  console.log(JSON.stringify(row));
  return row;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measureTyping(page, how) {
  const inState = [];
  const onScreen = [];
  for (let i = 0; i < 5; i++) {
    const text = `${how[0]}${i}xyzab`;  // 7 characters
    await widget(page, 'composer.input');
    await until(page, () => window.sessionTab.state(0).open.draft === '');
    await frames(page, 5);
    const t0 = Date.now();
    if (how === 'burst') {
      await burst(page, fast.type(text), fast.enter());
    } else {
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
    }
    const id = await until(page, (t) => window.sessionTab.state(3).open.messages.find((m) => m.body === t)?.id,
                           text, 30000);
    inState.push(Date.now() - t0);
    await until(page, (n) => window.sessionTab.rect(n), `message.${id}`, 30000);
    onScreen.push(Date.now() - t0);
    // Let the fixture's simulated reply come before the next run.
    await until(page, (t) => window.sessionTab.state(3).open.messages.some((m) => m.body === `You said: ${t}`), text);
  }
  const row = { typing: `7 characters + Enter (${how})`, inStateMs: median(inState), drawnMs: median(onScreen),
                runs: onScreen };
  console.log(JSON.stringify(row));
  return row;
}

const server = await serve(site);
if (ownProduct) productUrl = `${server.url}index.html`;
const browser = await launch();
try {
  {
    const { context, page } = await openApp(browser, `${server.url}fixture.html?state=main`);
    // Past the fixture's simulated start (signed in, then connected after 1.2 s).
    await until(page, () => window.sessionTab.state(0).network.state === 'online');
    await widget(page, 'sidebar.new');
    await measureIdle('fixture:main', page, context);
    const s = await state(page, 0);
    const bob = s.conversations.find((c) => c.title === 'Bob');
    await click(page, `conversation.${bob.peer_session_id}`);
    await widget(page, 'composer.input');
    await measureIdle('fixture:composer', page, context);
    await measureTyping(page, 'keyboard.type');
    await measureTyping(page, 'burst');
    await context.close();
  }
  if (productUrl) {
    const { context, page } = await openApp(browser, productUrl);
    // Past the start: the welcome screen (or the account's screen) is drawn.
    await until(page, () => window.sessionTab.state(0).loading === false, null, 60000);
    await measureIdle(ownProduct ? 'product (no relay)' : 'product', page, context);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
