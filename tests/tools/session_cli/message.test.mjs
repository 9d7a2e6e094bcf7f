// session-cli message encode / decode: protocol.md §3 and the full DM vector of §10.4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, assertBadInput } from './cli.mjs';

const SEED1 = '0123456789abcdef0123456789abcdef';
const SEED2 = '00112233445566778899aabbccddeeff';
const SEED3 = 'ffeeddccbbaa99887766554433221100';
const ID1 = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';
const ID2 = '05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74';
// §10.4 step 6: "hi" from seed 1 to seed 2 at 1700000000000 (deterministic sealing, no proSig).
const VECTOR_DATA =
  'CAESxwIKABIAGr4CCAYogNCV/7wxOAFCsALq3sz63LGk744WAPnV3L3CAeYZuVMkzA+84XdA0FChOL+5t87S0Ospj8ipx8TgmoiK' +
  'tNsB/JoKvMBHUNkhbiDKNnzGE76iuNR8GFwJG3dFht+kzGCTlvaVd5V644xODWZlvquiM9FDugvr8rTYpMVwBSc2wdoHpgULigzT' +
  '//Yyajpk+lOosObGB/6JDvblqTytBfhL4Nj+bt+jbrT7H3MKHiETCnapsMg3c9o2Ii1EfFnpKuk/dVcxx6KCl7+LWWDPSltq4Jgt' +
  'eX/NMJH7ALaqIPTEoN2Hq3bHA/JevWaQNXeSeHKQeNG1PYq+/1vYC0nOzXUIeKA1f9T+eV1aF0YcrmIl+aVd1wW7tc+AYK26N83X' +
  '/2gZ1JVLDItlkaQUpBBRLlclHDMkLoJwJJkqet1aIAA=';

function decodeOk(seed, data) {
  const r = cli('message', 'decode', '--seed', seed, '--data', data);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
  return JSON.parse(r.stdout);
}

test('decode reads the §10.4 vector', () => {
  assert.deepEqual(decodeOk(SEED2, VECTOR_DATA), {
    sender: ID1, timestamp: 1700000000000, kind: 'visible',
    expiration: { type: 'off', seconds: 0 }, body: 'hi', profile: null,
  });
});

test('encode then decode round-trips text, display name and timestamp', () => {
  const text = 'Hello Bob 👋🏽 — ünïcödé';
  const r = cli('message', 'encode', '--seed', SEED1, '--to', ID2, '--text', text,
                '--timestamp', '1700000001234', '--name', 'Alice');
  assert.equal(r.status, 0, r.stderr);
  const data = r.stdout.trim();
  assert.match(data, /^[A-Za-z0-9+/]+=*$/);
  const m = decodeOk(SEED2, data);
  assert.equal(m.sender, ID1);
  assert.equal(m.timestamp, 1700000001234);
  assert.equal(m.kind, 'visible');
  assert.equal(m.body, text);
  assert.deepEqual(m.profile, { name: 'Alice' });
});

test('encode uses a fresh ephemeral key each time and the current time by default', () => {
  const a = cli('message', 'encode', '--seed', SEED1, '--to', ID2, '--text', 'x').stdout;
  const b = cli('message', 'encode', '--seed', SEED1, '--to', ID2, '--text', 'x').stdout;
  assert.notEqual(a, b);
  const ts = decodeOk(SEED2, a.trim()).timestamp;
  assert.ok(Math.abs(ts - Date.now()) < 60000, `timestamp ${ts} is not now`);
});

test('decode errors exit 2 with the error code on one line', () => {
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED3, '--data', VECTOR_DATA),
                 /proto\.not_for_us/);
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED2, '--data', 'not base64!'),
                 /proto\.not_base64/);
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED2, '--data', 'aGVsbG8='),
                 /proto\.not_websocket_message/);
  const tampered = VECTOR_DATA.slice(0, 200) + (VECTOR_DATA[200] === 'A' ? 'B' : 'A') +
                   VECTOR_DATA.slice(201);
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED2, '--data', tampered),
                 /proto\.not_for_us/);
});

test('bad input exits 2 with one line saying what is wrong', () => {
  assertBadInput(assert, cli('message', 'encode', '--seed', SEED1, '--to', ID2, '--text', ''),
                 /proto\.invalid_message/);
  assertBadInput(assert, cli('message', 'encode', '--seed', SEED1, '--to', '05zz', '--text', 'a'),
                 /Session ID/);
  assertBadInput(assert, cli('message', 'encode', '--seed', 'abc', '--to', ID2, '--text', 'a'),
                 /16 bytes/);
  assertBadInput(assert, cli('message', 'encode', '--seed', SEED1, '--to', ID2, '--text', 'a',
                             '--timestamp', '12x'), /--timestamp/);
  assertBadInput(assert, cli('message', 'encode', '--seed', SEED1, '--text', 'a'), /missing option --to/);
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED1), /missing option --data/);
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED1, '--data', 'x', '--text', 'y'),
                 /takes no --text/);
  assertBadInput(assert, cli('message'), /missing 'encode' or 'decode'/);
  assertBadInput(assert, cli('message', 'send'), /unknown message action/);
});
