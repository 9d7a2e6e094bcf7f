// session-cli onion build / open-response: output shape, the known answers of protocol.md §10.5
// and §10.7, and bad input (exit 2, one stderr line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, assertBadInput } from './cli.mjs';

// §10.7 node keys (Ed25519:X25519).
const guard = '3225532fabfffae57c5f5ad7bc69a6f436f259f466857591fa277752b652f9da:7f115455aec3d0cc39c2dc9259604f6d13ad5714c09a702a225d68abeb2e433a';
const middle = '9aa69446d18b1a6cbbe26d252e04a82c620bfbda9fe94d66097d71b5f41f3f4d:a86dcfd24136debe88fa810bdab0efc87b7da09aeabf67599c48c6d77da77953';
const exit = '88cf6cbbef3cefb59db22e669270b5929cd2b30784ef0b4d80c0776aa3c10abe:b2f565fb6b1c9b88f64e1d4a6bae784824ec188796428a09af9110808c9f7f7a';
const dest = '0ebb0b291e4446ec85bc142cc131d41d0afe80737da1890a094cd123283b9a58:ef28774a71ea59727ea6e029768e9cc184cbdb777d1fe1612df10e838dbcca6b';
const payloadHex = Buffer.from('{"method":"info","params":{}}').toString('hex');

// §10.5 test 1: client ephemeral (a, A), node B, and the node's reply with nonce 00..17.
const A = 'bbdfc83022d0aff084a6f0c529a93d1c4d728bf7e41199afed0e01ae70d20540';
const a = 'ccc335912da8939e2b44816728a5a4773063efa82bf7ae2d42a0abfa2caa452d';
const B = 'caea52c5b0c316d85ffb53ea536826618b13dee40685f166f632653114526a78';
const reply = '000102030405060708090a0b0c0d0e0f1011121314151617ff3e9a22b4f9f82c3b7682ed094a7da4d7618cac1f11c21044367d7ffede9e9345adf5bbf9731c43b3e3d430e2e6398bb03ca143725909b9350aa38dfa';

const build = (...extra) => cli('onion', 'build', '--enc', 'xchacha20', '--payload-hex', payloadHex,
  '--dest', dest, '--hop', guard, '--hop', middle, '--hop', exit, ...extra);

test('build prints the request and the destination ephemeral key pair', () => {
  const r = build();
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['request_hex', 'dest_ephemeral_pk', 'dest_ephemeral_sk']);
  const body = Buffer.from(out.request_hex, 'hex');
  assert.equal(body.length, 894);  // the size of the §10.7 request
  assert.equal(body.readUInt32LE(0), 783);
  const json = JSON.parse(body.subarray(4 + 783).toString());
  assert.equal(json.enc_type, 'xchacha20');
  assert.match(json.ephemeral_key, /^[0-9a-f]{64}$/);
  assert.match(out.dest_ephemeral_pk, /^[0-9a-f]{64}$/);
  assert.match(out.dest_ephemeral_sk, /^[0-9a-f]{64}$/);
  assert.notEqual(JSON.parse(build().stdout).request_hex, out.request_hex);  // fresh randomness
});

test('open-response decrypts the known reply', () => {
  const r = cli('onion', 'open-response', '--enc', 'xchacha20', '--dest-x', B, '--eph-sk', a,
    '--eph-pk', A, '--hex', reply);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(Buffer.from(r.stdout.trim(), 'hex').toString(),
    '{"status":200,"body":"{\\"t\\":1700000000000}"}');
});

test('bad input exits with 2 and one line', () => {
  assertBadInput(assert, cli('onion'), /missing/);
  assertBadInput(assert, cli('onion', 'peel'), /unknown onion action/);
  assertBadInput(assert, cli('onion', 'build', '--enc', 'aes-gcm', '--payload-hex', payloadHex,
    '--dest', dest, '--hop', guard), /xchacha20/);
  assertBadInput(assert, cli('onion', 'build', '--enc', 'xchacha20', '--payload-hex', payloadHex,
    '--dest', dest), /--hop/);
  assertBadInput(assert, cli('onion', 'build', '--enc', 'xchacha20', '--payload-hex', 'xyz',
    '--dest', dest, '--hop', guard), /payload-hex/);
  assertBadInput(assert, cli('onion', 'build', '--enc', 'xchacha20', '--payload-hex', payloadHex,
    '--dest', dest, '--hop', 'abcd'), /--hop/);
  assertBadInput(assert, cli('onion', 'build', '--enc', 'xchacha20', '--payload-hex', payloadHex,
    '--dest', dest, '--hop', guard, '--hop', guard, '--hop', guard, '--hop', guard, '--hop', guard,
    '--hop', guard, '--hop', guard, '--hop', guard, '--hop', guard), /hops/);
  const open = (...over) => {
    const args = { '--dest-x': B, '--eph-sk': a, '--eph-pk': A, '--hex': reply, ...Object.fromEntries(over) };
    return cli('onion', 'open-response', '--enc', 'xchacha20', ...Object.entries(args).flat());
  };
  assertBadInput(assert, open(['--eph-pk', B]), /not the public key/);
  assertBadInput(assert, open(['--hex', reply.slice(0, -2) + '00']), /did not decrypt/);
  assertBadInput(assert, open(['--hex', '00']), /at least 40 bytes/);
  assertBadInput(assert, open(['--dest-x', 'zz']), /--dest-x/);
  assertBadInput(assert, open(['--eph-sk', '12']), /--eph-sk/);
});
