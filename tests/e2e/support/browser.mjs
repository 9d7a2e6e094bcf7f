// Shared helpers for the browser tests: a static file server on loopback (correct MIME types,
// no caching), Debian's Chromium through playwright-core with the flags of toolchain.md, and the
// person-like actions that go through window.sessionTab (click a named widget, wait for frames).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.ttf': 'font/ttf', '.json': 'application/json', '.css': 'text/css',
};

// Serves `root` on 127.0.0.1 (port 0: any free port). Returns { url, close }.
export async function serve(root, port = 0) {
  const server = createServer(async (req, res) => {
    // Test endpoints for the platform checks (wasm/dev/platform_check.cpp).
    if (req.url.endsWith('/__echo')) {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      res.writeHead(201, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(Buffer.concat(chunks));
      return;
    }
    if (req.url.endsWith('/__slow')) {
      const timer = setTimeout(() => res.writeHead(200).end('late'), 10000);
      req.on('close', () => clearTimeout(timer));
      return;
    }
    if (req.url.endsWith('/__big')) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(Buffer.alloc(2 * 1024 * 1024, 7));
      return;
    }
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path.includes('..')) { res.writeHead(400).end(); return; }
    let file = join(root, path);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] || 'application/octet-stream',
        'Cache-Control': 'no-store',
        // The relay's policy (tools/relay/server.cpp), so the tests run under the same rules.
        'Content-Security-Policy':
          "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; " +
          "img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; " +
          "base-uri 'none'; frame-ancestors 'none'",
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  const { port: actual } = server.address();
  return {
    url: `http://127.0.0.1:${actual}/`,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(r); }),
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// Opens `url` in a new context and waits for the app's first drawn frame.
export async function openApp(browser, url, { width = 1280, height = 800, scale = 1 } = {}) {
  const context = await browser.newContext({
    viewport: { width, height }, deviceScaleFactor: scale,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  const messages = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await until(page, () => Boolean(window.sessionTab && window.sessionTab.firstFrameMs), null, 30000);
  return { context, page, messages };
}

// Polls `predicate` in the page until it returns something truthy, and returns that. (Not
// page.waitForFunction: it compiles the predicate with new Function, which the page's
// Content-Security-Policy forbids, as it should; page.evaluate goes through the debugger.)
export async function until(page, predicate, arg, timeout = 30000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await page.evaluate(predicate, arg);
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${predicate.toString().slice(0, 120)} (last: ${last})`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const state = (page, max) => page.evaluate((m) => window.sessionTab.state(m), max);
export const rects = (page) => page.evaluate(() => window.sessionTab.rects());

// Waits until the UI has seen what we just did: `n` more frames drawn, or the page settled (it
// draws frames on demand and has drawn everything it had to: input handled, view drawn, no frame
// wanted). An idle page draws no frames, so waiting for frames alone could wait forever.
export async function frames(page, n = 3) {
  const start = await page.evaluate(() => window.sessionTab.frames());
  await until(page, (s) => window.sessionTab.frames() >= s ||
                           Boolean(window.sessionTab.settled && window.sessionTab.settled()), start + n);
}

// Waits for a named widget to be on screen and returns its rectangle.
export async function widget(page, name, timeout = 30000) {
  return until(page, (n) => window.sessionTab.rect(n), name, timeout);
}

// Resizes the page and waits until the app has drawn at the new size: the canvas' backing store
// follows its CSS size in the frame that lays the screen out again, so once it matches, the
// widgets' rectangles are the new layout's (a click at a rectangle read before that would land
// where the widget used to be).
export async function resize(page, width, height) {
  await page.setViewportSize({ width, height });
  await until(page, ([w, h]) => {
    const c = document.querySelector('#canvas');
    return Boolean(c) && c.clientWidth === w && c.clientHeight === h &&
           c.height === Math.max(1, Math.round(h * window.devicePixelRatio));
  }, [width, height]);
}

// Clicks the centre of a named widget, as a person would, then lets the UI draw.
export async function click(page, name) {
  const r = await widget(page, name);
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  await frames(page);
}

// Input at machine speed: every event handed to the browser at once, none waiting for the page to
// acknowledge the one before (Playwright's keyboard.type and mouse.click wait for each, which lets
// a page that takes one key per frame keep up) — as a fast typist on a slow machine, a password
// manager or a barcode scanner would. `fast` builds the events (Chrome DevTools protocol Input
// commands), `burst` sends them:  await burst(page, fast.type('hi'), fast.enter(), fast.click(rect))
const keyEvents = (key, text, keyCode) => [
  { type: 'keyDown', key, code: '', text, unmodifiedText: text, windowsVirtualKeyCode: keyCode },
  { type: 'keyUp', key, code: '', windowsVirtualKeyCode: keyCode },
].map((params) => ['Input.dispatchKeyEvent', params]);

export const fast = {
  // Characters as typed on a US keyboard (letters, digits and space carry their key code; other
  // characters arrive as text only, as from an IME).
  type: (text) => [...text].flatMap((ch) => {
    const upper = ch.toUpperCase();
    return keyEvents(ch, ch, /^[A-Z0-9 ]$/.test(upper) ? upper.charCodeAt(0) : 0);
  }),
  enter: () => keyEvents('Enter', '\r', 13),
  // A left click at the centre of a rectangle from window.sessionTab.rect().
  click: (r) => [['mouseMoved', 0], ['mousePressed', 1], ['mouseReleased', 0]].map(([type, buttons]) =>
    ['Input.dispatchMouseEvent', { type, x: r.x + r.w / 2, y: r.y + r.h / 2,
                                   button: type === 'mouseMoved' ? 'none' : 'left', buttons, clickCount: 1 }]),
};

export async function burst(page, ...events) {
  const cdp = await page.context().newCDPSession(page);
  await Promise.all(events.flat().map(([method, params]) => cdp.send(method, params)));
  await cdp.detach();
}
