// session-cli config encode / decode: user configs as the clients store them (docs/config.md):
// round trips of the three kinds, the merge of concurrently written versions, bad input, and the
// UserProfile known answer of libsession-util tests/test_config_userprofile.cpp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, assertBadInput } from './cli.mjs';

const SEED = '0123456789abcdef0123456789abcdef';
const PHRASE = 'vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept';
const OTHER_SEED = '00112233445566778899aabbccddeeff';
const X = '05' + '11'.repeat(32);
const Y = '05' + 'ab'.repeat(32);
const Z = '05' + '03'.repeat(32);

function encode(kind, value, seed = SEED) {
  const r = cli('config', 'encode', '--seed', seed, '--kind', kind, '--json', JSON.stringify(value));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const b64 = r.stdout.trim();
  assert.match(b64, /^[A-Za-z0-9+/]+=*$/);
  return b64;
}

function decode(kind, datas, seed = SEED) {
  const r = cli('config', 'decode', '--seed', seed, '--kind', kind, ...datas.flatMap((d) => ['--data', d]));
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const contact = (session_id, fields = {}) => ({
  session_id, name: '', nickname: '', approved: false, approved_me: false, blocked: false, ...fields,
});

test('user_profile: encode then decode gives the fields back at seqno 1', () => {
  const picture = { url: 'http://example.org/me.png', key_hex: 'aa'.repeat(32) };
  const b64 = encode('user_profile', { name: 'Alice', picture });
  assert.deepEqual(decode('user_profile', [b64]), { seqno: 1, name: 'Alice', picture });
  // Unset fields come back as null; the JSON printed by decode is accepted by encode.
  const empty = decode('user_profile', [encode('user_profile', { name: 'Bob' })]);
  assert.deepEqual(empty, { seqno: 1, name: 'Bob', picture: null });
  assert.deepEqual(decode('user_profile', [encode('user_profile', empty)]), empty);
  // The stored form is deterministic (docs/config.md §4: key and nonce derive from the content).
  assert.equal(encode('user_profile', { name: 'Alice', picture }), b64);
});

test('contacts: encode then decode gives every contact back, sorted by Session ID', () => {
  const b64 = encode('contacts', {
    contacts: [
      { session_id: Y, name: 'Yann', blocked: true },
      { session_id: X, name: 'Xavier', nickname: 'X', approved: true, approved_me: true },
    ],
  });
  assert.deepEqual(decode('contacts', [b64]), {
    seqno: 1,
    contacts: [
      contact(X, { name: 'Xavier', nickname: 'X', approved: true, approved_me: true }),
      contact(Y, { name: 'Yann', blocked: true }),
    ],
  });
});

test('convo_info_volatile: encode then decode gives last read and unread back', () => {
  // Recent times: a last read more than 30 days old is not written (libsession-util's rule).
  const now = Date.now();
  const b64 = encode('convo_info_volatile', {
    one_to_one: [
      { session_id: Y, last_read_ms: now - 1000, unread: false },
      { session_id: X, last_read_ms: now - 5000, unread: true },
    ],
  });
  assert.deepEqual(decode('convo_info_volatile', [b64]), {
    seqno: 1,
    one_to_one: [
      { session_id: X, last_read_ms: now - 5000, unread: true },
      { session_id: Y, last_read_ms: now - 1000, unread: false },
    ],
  });
});

test('--mnemonic names the same account as --seed', () => {
  const b64 = encode('user_profile', { name: 'Alice' });
  const r = cli('config', 'decode', '--mnemonic', PHRASE, '--kind', 'user_profile', '--data', b64);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).name, 'Alice');
});

test('two versions written concurrently merge into a new version holding both', () => {
  // Two devices each start from nothing and add a different contact: both are seqno 1.
  const a = encode('contacts', { contacts: [{ session_id: X, approved: true }] });
  const b = encode('contacts', { contacts: [{ session_id: Y, blocked: true }] });
  const merged = decode('contacts', [a, b]);
  assert.deepEqual(merged, {
    seqno: 2,
    contacts: [contact(X, { approved: true }), contact(Y, { blocked: true })],
  });
  assert.deepEqual(decode('contacts', [b, a]), merged);
  // The same message twice is one version, not a merge.
  assert.equal(decode('contacts', [a, a]).seqno, 1);

  // The same field changed by both: one value wins, the same whatever the order.
  const one = encode('user_profile', { name: 'One' });
  const two = encode('user_profile', { name: 'Two' });
  const m1 = decode('user_profile', [one, two]);
  assert.equal(m1.seqno, 2);
  assert.ok(['One', 'Two'].includes(m1.name), m1.name);
  assert.deepEqual(decode('user_profile', [two, one]), m1);

  // Three concurrent versions of the read state.
  const now = Date.now();
  const c = [X, Y, Z].map((id, i) =>
    encode('convo_info_volatile', { one_to_one: [{ session_id: id, last_read_ms: now - i, unread: i === 1 }] }));
  assert.deepEqual(decode('convo_info_volatile', c), {
    seqno: 2,
    one_to_one: [
      { session_id: Z, last_read_ms: now - 2, unread: false },
      { session_id: X, last_read_ms: now, unread: false },
      { session_id: Y, last_read_ms: now - 1, unread: true },
    ],
  });
});

test('UserProfile known answer (libsession-util test_config_userprofile.cpp, raw encrypted form)', () => {
  // "Kallie", her avatar and a Note-to-Self priority of 9, encrypted with seed 1 (not wrapped:
  // decode reads the raw form older clients stored, as push()'s readers must).
  const hex =
    '9693a69686da3055f1ecdfb239c3bf8e746951a36d888c2fb7c02e856a5c2091b24e39a7e1af828f1fa09fe8bf7d274a' +
    'fde0a0847ba143c43ffb8722301b5ae32e2f078b9a5e19097403336e50b18c84aade446cd2823b011f97d6ad2116a53f' +
    'eb814efecc086bc172d31f4214b4d7c630b63bbe575b08682d146da44915063a07a78556ab5eff4f67f6aa26211e8d33' +
    '0b53d28567a931028c393709a325425de7486ccde24416a7fd4a8ba5fa73899c65f4276dfaddd5b2100adcf0f793104f' +
    'b235b31ce32ec656056009a9ebf58d45d7d696b74e0c7ff0499c4d23204976f19561dc0dba6dc53a2497d28ce03498ea' +
    '49bf122762d7bc1d6d9c02f6d54f8384';
  const b64 = Buffer.from(hex, 'hex').toString('base64');
  assert.deepEqual(decode('user_profile', [b64]), {
    seqno: 1,
    name: 'Kallie',
    picture: {
      url: 'http://example.org/omg-pic-123.bmp',
      key_hex: Buffer.from('secret78901234567890123456789012').toString('hex'),
    },
  });
  // Another account's seed cannot read it.
  assertBadInput(assert, cli('config', 'decode', '--seed', OTHER_SEED, '--kind', 'user_profile', '--data', b64),
                 /does not decrypt/);
});

test('undecryptable or malformed input exits 2 with one line', () => {
  const good = encode('contacts', { contacts: [{ session_id: X, approved: true }] });
  const dec = (...extra) => cli('config', 'decode', '--seed', SEED, '--kind', 'contacts', ...extra);
  assertBadInput(assert, dec('--data', 'not base64!'), /--data #1 is not base64/);
  assertBadInput(assert, dec('--data', good, '--data', 'ab!c'), /--data #2 is not base64/);
  // Another seed, another kind, random bytes, a flipped bit, a truncated message.
  assertBadInput(assert, cli('config', 'decode', '--seed', OTHER_SEED, '--kind', 'contacts', '--data', good),
                 /--data #1 is not a contacts config of this account/);
  assertBadInput(assert, cli('config', 'decode', '--seed', SEED, '--kind', 'user_profile', '--data', good),
                 /is not a user_profile config/);
  assertBadInput(assert, dec('--data', Buffer.alloc(300, 7).toString('base64')), /does not decrypt/);
  const bytes = Buffer.from(good, 'base64');
  bytes[bytes.length - 30] ^= 1;
  assertBadInput(assert, dec('--data', bytes.toString('base64')), /does not decrypt/);
  assertBadInput(assert, dec('--data', Buffer.from(good, 'base64').subarray(0, 50).toString('base64')),
                 /does not decrypt/);
  assertBadInput(assert, dec('--data', ''), /does not decrypt|not base64/);
  // A good message next to a bad one: still refused, naming the bad one.
  assertBadInput(assert, dec('--data', good, '--data', Buffer.alloc(64).toString('base64')), /--data #2/);

  const enc = (kind, value) => cli('config', 'encode', '--seed', SEED, '--kind', kind, '--json', value);
  assertBadInput(assert, enc('contacts', '{"contacts": ['), /not valid JSON/);
  assertBadInput(assert, enc('contacts', '[]'), /JSON object/);
  assertBadInput(assert, enc('contacts', '{"contact": []}'), /unknown field "contact"/);
  assertBadInput(assert, enc('contacts', '{"contacts": [{"name": "x"}]}'), /session_id/);
  assertBadInput(assert, enc('contacts', `{"contacts": [{"session_id": "${X}", "blocked": "yes"}]}`),
                 /blocked must be true or false/);
  assertBadInput(assert, enc('contacts', '{"contacts": [{"session_id": "05zz"}]}'), /session_id/);
  assertBadInput(assert, enc('user_profile', JSON.stringify({ name: 'n'.repeat(101) })), /100 bytes/);
  assertBadInput(assert, enc('user_profile', '{"picture": {"url": "u", "key_hex": "00"}}'), /key_hex/);
  assertBadInput(assert, enc('convo_info_volatile', `{"one_to_one": [{"session_id": "${X}", "last_read_ms": -1}]}`),
                 /last_read_ms/);
  assertBadInput(assert, enc('user_groups', '{}'), /--kind must be/);
  assertBadInput(assert, cli('config', 'encode', '--seed', 'abc', '--kind', 'contacts', '--json', '{}'), /16 bytes/);
  assertBadInput(assert, cli('config', 'decode', '--seed', SEED, '--kind', 'contacts'), /missing option --data/);
  assertBadInput(assert, cli('config', 'encode', '--seed', SEED, '--kind', 'contacts', '--json', '{}', '--data', good),
                 /takes no --data/);
  assertBadInput(assert, cli('config', 'frobnicate'), /unknown config action/);
  assertBadInput(assert, cli('config'), /missing/);
});

test('--help lists the config commands', () => {
  const help = cli('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /config encode/);
  assert.match(help.stdout, /config push/);
});
