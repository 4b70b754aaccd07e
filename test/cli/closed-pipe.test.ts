import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { Scenario } from './cli-harness.js';

/*
 * `pimhub log | head -1`: the reader closes the pipe after its first line. What is left
 * unprinted is not wanted, so that is no error (no EPIPE stack trace), and a command whose
 * output nobody reads any more still does all its work.
 */
function scenario(cards: number): Scenario {
  const s = new Scenario('closed-pipe');
  const vcf = Array.from({ length: cards }, (_, i) =>
    `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:pipe-${i}\r\nFN:Person Number ${i}\r\nN:Number ${i};Person;;;\r\nEMAIL:person.${i}@example.org\r\nEND:VCARD\r\n`).join('');
  s.write('all.vcf', vcf);
  mkdirSync(s.path('vdir'));
  s.config(['store: sqlite:./pimhub.db', 'connectors:', '  file: { type: vcard-file, path: ./all.vcf }', '  desktop: { type: vdir, path: ./vdir }',
    'collections:', '  contacts: { kind: contacts, members: [file, desktop] }', ''].join('\n'));
  return s;
}

/** Runs the command, reads its first chunk of output, then closes the pipe; its exit code and stderr. */
async function readFirstChunk(s: Scenario, args: string[], closeAt: 'start' | 'first-chunk'): Promise<{ code: number | null; stderr: string }> {
  const child = s.start(args);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  if (closeAt === 'start') child.stdout!.destroy();
  else child.stdout!.once('data', () => child.stdout!.destroy());
  const code = await new Promise<number | null>((ok) => child.once('exit', ok));
  return { code, stderr };
}

test('a reader that closes the pipe early is no error: `log | head` exits 0 without a stack trace', async () => {
  const s = scenario(1500);
  try {
    assert.equal(s.run(['sync']).code, 0);
    for (const args of [['log', '--limit', '5000'], ['log', '--limit', '5000', '--json']]) {
      const r = await readFirstChunk(s, args, 'first-chunk');
      assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|at /, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.code, 0, args.join(' '));
    }
  } finally {
    s.cleanup();
  }
});

test('a sync whose output nobody reads still writes every card', async () => {
  const s = scenario(300);
  try {
    const r = await readFirstChunk(s, ['sync'], 'start');
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/, r.stderr);
    assert.equal(r.code, 0);
    assert.equal(readdirSync(s.path('vdir')).filter((n) => n.endsWith('.vcf')).length, 300);
    assert.match(s.run(['sync']).stdout, /0 writes to members/);
  } finally {
    s.cleanup();
  }
});
