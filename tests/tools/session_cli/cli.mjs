// Runs session-cli and captures {status, stdout, stderr} without throwing on a non-zero exit.
import { spawnSync } from 'node:child_process';

export function cli(...args) {
  const r = spawnSync(process.env.SESSION_CLI, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Bad input: exit code 2 and exactly one line on stderr, nothing on stdout.
export function assertBadInput(assert, result, pattern) {
  assert.equal(result.status, 2, `expected exit 2, got ${result.status}: ${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `expected one stderr line, got: ${result.stderr}`);
  if (pattern) assert.match(lines[0], pattern);
}
