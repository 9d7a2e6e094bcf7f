// session-cli keygen / id / mnemonic: protocol.md §1, §2 and the vectors of §10.1–10.2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, assertBadInput } from './cli.mjs';

const SEED = '0123456789abcdef0123456789abcdef';
const PHRASE = 'vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept';
const ID = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';

test('keygen prints one JSON object whose parts agree with each other', () => {
  const r = cli('keygen');
  assert.equal(r.status, 0);
  const k = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(k), ['seed', 'mnemonic', 'session_id']);
  assert.match(k.seed, /^[0-9a-f]{32}$/);
  assert.equal(k.mnemonic.split(' ').length, 13);
  assert.match(k.session_id, /^05[0-9a-f]{64}$/);
  assert.equal(cli('id', '--seed', k.seed).stdout.trim(), k.session_id);
  assert.equal(cli('id', '--mnemonic', k.mnemonic).stdout.trim(), k.session_id);
  assert.equal(cli('mnemonic', 'decode', k.mnemonic).stdout.trim(), k.seed);
});

test('keygen makes a new account each time', () => {
  assert.notEqual(JSON.parse(cli('keygen').stdout).seed, JSON.parse(cli('keygen').stdout).seed);
});

test('id and mnemonic match the known vectors', () => {
  assert.equal(cli('id', '--seed', SEED).stdout, ID + '\n');
  assert.equal(cli('id', '--mnemonic', PHRASE).stdout, ID + '\n');
  assert.equal(cli('mnemonic', 'encode', SEED).stdout, PHRASE + '\n');
  assert.equal(cli('mnemonic', 'decode', PHRASE).stdout, SEED + '\n');
  assert.equal(cli('mnemonic', 'decode', '  VEXED enjoy pig fil ade vot vex enj pig fil ade vot ade ').stdout,
               SEED + '\n');
});

test('invalid input exits 2 with one line saying what is wrong', () => {
  assertBadInput(assert, cli('id', '--seed', 'abc'), /16 bytes/);
  assertBadInput(assert, cli('id', '--seed', 'zz'.repeat(16)), /hex digits/);
  assertBadInput(assert, cli('id'), /exactly one of --seed/);
  assertBadInput(assert, cli('id', '--seed', SEED, '--mnemonic', PHRASE), /exactly one/);
  assertBadInput(assert, cli('id', '--mnemonic', 'vexed enjoy'), /13 words/);
  assertBadInput(assert, cli('id', '--mnemonic', PHRASE.replace(/adept$/, 'vexed')), /last word/);
  assertBadInput(assert, cli('mnemonic', 'decode', PHRASE.replace('pigment', 'qwerty')), /word 3 /);
  assertBadInput(assert, cli('mnemonic', 'decode', PHRASE.split(' ').slice(0, 12).join(' ')), /checksum word/);
  assertBadInput(assert, cli('mnemonic', 'encode', '00'), /16 bytes/);
  assertBadInput(assert, cli('mnemonic', 'encode'), /missing/);
  assertBadInput(assert, cli('mnemonic', 'frobnicate'), /unknown mnemonic action/);
  assertBadInput(assert, cli('id', '--seed'), /needs a value/);
  assertBadInput(assert, cli('id', '--bogus', '1'), /unknown option/);
  assertBadInput(assert, cli('frobnicate'), /unknown command/);
  assertBadInput(assert, cli('keygen', 'extra'), /unexpected argument/);
});

test('no arguments exits 2 pointing at --help; --help prints usage and exits 0', () => {
  assertBadInput(assert, cli(), /missing COMMAND/);
  const help = cli('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /mnemonic decode/);
});
