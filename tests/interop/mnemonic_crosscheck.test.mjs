// Cross-checks our recovery phrase against another team's implementation (@session.js/mnemonic,
// MIT): for a few hundred random seeds both must produce the same 13 words, and each must decode
// the other's phrase back to the seed. Our side is driven through session-cli, the stable command
// line interface over the core. SESSION_CLI names the binary (set by ctest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { encode, decode } from '@session.js/mnemonic';

const cli = process.env.SESSION_CLI;
const run = (...args) => execFileSync(cli, args, { encoding: 'utf8' }).trim();
const SEEDS = 300;

test('both implementations give the same phrase for random seeds and decode each other', () => {
  assert.ok(cli, 'SESSION_CLI must point at session-cli');
  for (let i = 0; i < SEEDS; i++) {
    const seed = randomBytes(16).toString('hex');
    const ours = run('mnemonic', 'encode', seed);
    const theirs = encode(seed);
    assert.equal(ours, theirs, `seed ${seed}`);
    assert.equal(decode(ours), seed);
    assert.equal(run('mnemonic', 'decode', theirs), seed);
  }
});

test('edge seeds agree', () => {
  for (const seed of ['00'.repeat(16), 'ff'.repeat(16), '0123456789abcdef0123456789abcdef',
                      '39038c8988db02c1af44e8c847bd9713', '000102030405060708090a0b0c0d0e0f']) {
    assert.equal(run('mnemonic', 'encode', seed), encode(seed), seed);
  }
});

test('a phrase the other implementation rejects for its checksum is rejected by ours too', () => {
  const seed = randomBytes(16).toString('hex');
  const words = encode(seed).split(' ');
  // Replace the checksum word with a data word that is not the right one.
  const wrong = words.slice(0, 12).find(w => w.slice(0, 3) !== words[12].slice(0, 3));
  const bad = [...words.slice(0, 12), wrong].join(' ');
  assert.throws(() => decode(bad));
  assert.throws(() => execFileSync(cli, ['mnemonic', 'decode', bad], { stdio: 'pipe' }),
                err => err.status === 2 && /last word/.test(err.stderr.toString()));
});
