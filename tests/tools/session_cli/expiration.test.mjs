// Disappearing messages on the command line (protocol.md §8.3): `message encode --expire` puts
// Content.expirationType/expirationTimer on a text, `--expiration-update` builds the setting change
// (DataMessage flags EXPIRATION_TIMER_UPDATE); both read back with `message decode`. Malformed
// settings, --expire on another kind and delete-all without its options exit 2 with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, assertBadInput } from './cli.mjs';

const SEED1 = '0123456789abcdef0123456789abcdef';
const SEED2 = '00112233445566778899aabbccddeeff';
const ID1 = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';
const ID2 = '05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74';
const T = '1700000004321';

function encode(...args) {
  const r = cli('message', 'encode', '--seed', SEED1, '--timestamp', T, ...args);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

function decode(seed, data) {
  const r = cli('message', 'decode', '--seed', seed, '--data', data);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('a text with --expire carries the disappearing setting', () => {
  const sent = decode(SEED2, encode('--to', ID2, '--text', 'soon gone', '--expire', 'after_send:86400'));
  assert.equal(sent.kind, 'visible');
  assert.equal(sent.body, 'soon gone');
  assert.deepEqual(sent.expiration, { type: 'delete_after_send', seconds: 86400 });
  const read = decode(SEED2, encode('--to', ID2, '--text', 'after reading', '--expire', 'after_read:300'));
  assert.deepEqual(read.expiration, { type: 'delete_after_read', seconds: 300 });
  // Its sync copy keeps the setting.
  const copy = decode(SEED1, encode('--to', ID1, '--sync-target', ID2, '--text', 'x',
                                    '--expire', 'after_send:60'));
  assert.equal(copy.kind, 'sync');
  assert.deepEqual(copy.expiration, { type: 'delete_after_send', seconds: 60 });
});

test('--expiration-update builds the setting change, also turning it off', () => {
  const on = decode(SEED2, encode('--to', ID2, '--expiration-update', 'after_read:43200'));
  assert.equal(on.kind, 'expiration_update');
  assert.deepEqual(on.expiration, { type: 'delete_after_read', seconds: 43200 });
  const off = decode(SEED2, encode('--to', ID2, '--expiration-update', 'off'));
  assert.equal(off.kind, 'expiration_update');
  assert.deepEqual(off.expiration, { type: 'off', seconds: 0 });
  const synced = decode(SEED1, encode('--to', ID1, '--sync-target', ID2,
                                      '--expiration-update', 'after_send:86400'));
  assert.equal(synced.kind, 'expiration_update');
  assert.equal(synced.recipient, ID2);
});

test('malformed settings exit 2 with one line', () => {
  const base = ['message', 'encode', '--seed', SEED1, '--to', ID2];
  for (const bad of ['after_send', 'after_send:', 'after_send:9', 'after_send:1209601',
                     'after_send:-5', 'after_send:1e3', 'later:60', 'off'])
    assertBadInput(assert, cli(...base, '--text', 'x', '--expire', bad), /--expire must be/);
  assertBadInput(assert, cli(...base, '--expiration-update', 'sometimes'),
                 /--expiration-update must be off/);
  assertBadInput(assert, cli(...base, '--typing', 'started', '--expire', 'after_send:60'),
                 /--expire does not apply to a typing message/);
  assertBadInput(assert, cli(...base, '--text', 'x', '--expiration-update', 'off'),
                 /one kind of message per call/);
  assertBadInput(assert, cli('message', 'decode', '--seed', SEED1, '--data', 'AA==',
                             '--expire', 'after_send:60'), /takes no --expire/);
  assertBadInput(assert, cli('send', '--network', 'http://127.0.0.1:1', '--seed', SEED1, '--to', ID2,
                             '--text', 'x', '--expire', 'after_read:5'), /--expire must be/);
});

test('delete-all needs its options and is listed in --help', () => {
  assertBadInput(assert, cli('delete-all', '--seed', SEED1), /--network/);
  assertBadInput(assert, cli('delete-all', '--network', 'ftp://x', '--seed', SEED1), /--network must be/);
  assertBadInput(assert, cli('delete-all', '--network', 'http://127.0.0.1:1', '--seed', 'zz'));
  const help = cli('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /delete-all --network SEED_URL --seed HEX32/);
  assert.match(help.stdout, /--expire after_send:SECONDS\|after_read:SECONDS/);
  assert.match(help.stdout, /--expiration-update off/);
});
