// session-cli message encode builds every kind of message the app sends (protocol.md §4, §8), one
// per call, through the core's encode_message / encode_sync_copy; message decode reads each back
// with its fields. Messages that break a receiver rule (timestamp binding §3.7, an unsend of
// someone else's message §8.2) are refused when decoded: exit 2, the rule on one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, assertBadInput } from './cli.mjs';

const SEED1 = '0123456789abcdef0123456789abcdef';
const SEED2 = '00112233445566778899aabbccddeeff';
const ID1 = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';
const ID2 = '05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74';
const T = '1700000004321';
const OFF = { type: 'off', seconds: 0 };

function encode(...args) {
  const r = cli('message', 'encode', '--seed', SEED1, '--timestamp', T, ...args);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const data = r.stdout.trim();
  assert.match(data, /^[A-Za-z0-9+/]+=*$/);
  return data;
}

function decode(seed, data) {
  const r = cli('message', 'decode', '--seed', seed, '--data', data);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
  return JSON.parse(r.stdout);
}

const header = (kind) => ({ sender: ID1, timestamp: Number(T), kind, expiration: OFF });

test('a visible text message (the default kind) with a display name', () => {
  assert.deepEqual(decode(SEED2, encode('--to', ID2, '--text', 'hello', '--name', 'Alice')),
                   { ...header('visible'), body: 'hello', profile: { name: 'Alice' } });
});

test('typing indicators: started and stopped, timestamp = the sent time', () => {
  for (const action of ['started', 'stopped'])
    assert.deepEqual(decode(SEED2, encode('--to', ID2, '--typing', action)),
                     { ...header('typing'), action });
});

test('a read receipt lists the sent timestamps of the messages read', () => {
  assert.deepEqual(decode(SEED2, encode('--to', ID2, '--read-receipt', '1700000000001,1700000000002')),
                   { ...header('read_receipt'), timestamps: [1700000000001, 1700000000002] });
  assert.deepEqual(decode(SEED2, encode('--to', ID2, '--read-receipt', '42')).timestamps, [42]);
});

test('accepting a message request, with and without our display name', () => {
  assert.deepEqual(decode(SEED2, encode('--to', ID2, '--request-response', 'approved', '--name', 'Al')),
                   { ...header('request_response'), approved: true, profile: { name: 'Al' } });
  assert.deepEqual(decode(SEED2, encode('--to', ID2, '--request-response', 'approved')),
                   { ...header('request_response'), approved: true, profile: null });
});

test('an unsend request for our own message', () => {
  assert.deepEqual(
    decode(SEED2, encode('--to', ID2, '--unsend-timestamp', '1700000000009', '--unsend-author', ID1)),
    { ...header('unsend'), target: { timestamp: 1700000000009, author: ID1 } });
});

test('sync copies go to our own ID and carry the recipient', () => {
  assert.deepEqual(decode(SEED1, encode('--to', ID1, '--sync-target', ID2, '--text', 'hi')),
                   { ...header('sync'), recipient: ID2, body: 'hi', profile: null });
  // An unsend is copied to ourselves as the same request (no syncTarget needed, §8.2).
  assert.deepEqual(
    decode(SEED1, encode('--to', ID1, '--sync-target', ID2, '--unsend-timestamp', '7',
                         '--unsend-author', ID1)),
    { ...header('unsend'), target: { timestamp: 7, author: ID1 } });
  // Only we can read it.
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED2, '--data',
                             encode('--to', ID1, '--sync-target', ID2, '--text', 'hi')),
                 /proto\.not_for_us/);
});

test('kinds official clients never sync, or sync copies not addressed to us, exit 2', () => {
  for (const kind of [['--typing', 'started'], ['--read-receipt', '1'],
                      ['--request-response', 'approved']])
    assertBadInput(assert, cli('message', 'encode', '--seed', SEED1, '--to', ID1,
                               '--sync-target', ID2, ...kind), /proto\.not_syncable/);
  assertBadInput(assert, cli('message', 'encode', '--seed', SEED1, '--to', ID2,
                             '--sync-target', ID2, '--text', 'x'), /your own Session ID/);
});

test('an unsend of someone else\'s message is refused when built and when received', () => {
  assertBadInput(assert, cli('message', 'encode', '--seed', SEED1, '--to', ID2,
                             '--unsend-timestamp', '5', '--unsend-author', ID2),
                 /--unsend-author must be your own Session ID/);
  const forged = encode('--to', ID2, '--unsend-timestamp', '5', '--unsend-author', ID2,
                        '--unchecked');
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED2, '--data', forged),
                 /^session-cli message: proto\.invalid_field: an unsend request for a message of someone else$/);
});

test('an envelope time that differs from the signed one breaks the timestamp binding', () => {
  for (const kind of [['--text', 'x'], ['--typing', 'started'], ['--read-receipt', '1'],
                      ['--request-response', 'approved']]) {
    const moved = encode('--to', ID2, ...kind, '--envelope-timestamp', String(Number(T) + 1));
    assertBadInput(assert, cli('message', 'decode', '--seed', SEED2, '--data', moved),
                   /^session-cli message: proto\.timestamp_mismatch: .*1700000004321.*1700000004322$/);
  }
  // The same time again is harmless.
  assert.equal(decode(SEED2, encode('--to', ID2, '--text', 'x', '--envelope-timestamp', T)).body, 'x');
});

test('malformed kind options exit 2 with one line', () => {
  const base = ['message', 'encode', '--seed', SEED1, '--to', ID2];
  assertBadInput(assert, cli(...base, '--text', 'a', '--typing', 'started'), /one kind of message/);
  assertBadInput(assert, cli(...base, '--typing', 'maybe'), /--typing must be started or stopped/);
  assertBadInput(assert, cli(...base, '--typing', 'started', '--name', 'A'), /--name does not apply/);
  assertBadInput(assert, cli(...base, '--read-receipt', ''), /--read-receipt/);
  assertBadInput(assert, cli(...base, '--read-receipt', '1,,2'), /--read-receipt/);
  assertBadInput(assert, cli(...base, '--read-receipt', '1,x'), /--read-receipt/);
  assertBadInput(assert, cli(...base, '--request-response', 'declined'), /must be 'approved'/);
  assertBadInput(assert, cli(...base, '--unsend-timestamp', '5'), /needs --unsend-author/);
  assertBadInput(assert, cli(...base, '--unsend-timestamp', '5', '--unsend-author', '05zz'),
                 /Session ID/);
  assertBadInput(assert, cli(...base, '--unsend-author', ID1, '--text', 'a'), /does not apply/);
  assertBadInput(assert, cli(...base, '--text', 'a', '--envelope-timestamp', 'soon'),
                 /--envelope-timestamp/);
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED1, '--data', 'x', '--typing', 'started'),
                 /takes no --typing/);
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED1, '--data', 'x', '--unchecked'),
                 /takes no --unchecked/);
});
