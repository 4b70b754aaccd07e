import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncRunner, type RunRequest } from '../../src/schedule/sync-runner.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A runner whose runs take `ms` and are recorded, with at most one going at a time checked. */
function recording(ms: number) {
  const runs: RunRequest[] = [];
  const coalesced: RunRequest[] = [];
  let going = 0;
  let overlap = false;
  const runner = new SyncRunner({
    debounceMs: 30,
    run: async (req) => {
      going += 1;
      if (going > 1) overlap = true;
      runs.push(req);
      await tick(ms);
      going -= 1;
      return true;
    },
    onCoalesced: (req) => coalesced.push(req),
  });
  return { runner, runs, coalesced, overlap: () => overlap };
}

const scopeOf = (r: RunRequest) => (r.scope === 'all' ? 'all' : [...r.scope].sort().join(','));

test('runs requested while one is going are coalesced into one follow-up run, never alongside', async () => {
  const { runner, runs, coalesced, overlap } = recording(40);
  const first = runner.request('start');
  await tick(5);
  assert.equal(runner.busy, true);
  const a = runner.request('schedule');
  const b = runner.request('schedule');
  await Promise.all([first, a, b]);
  assert.equal(runs.length, 2);
  assert.deepEqual(runs.map((r) => r.reasons), [['start'], ['schedule']]);
  assert.equal(coalesced.length, 2);
  assert.equal(overlap(), false);
  assert.equal(runner.busy, false);
  assert.equal(runner.status().runs, 2);
  assert.equal(runner.status().last?.ok, true);
});

test('writes are debounced into one run over the collections they touched', async () => {
  const { runner, runs } = recording(5);
  runner.requestSoon('write', new Set(['contacts']));
  await tick(10);
  runner.requestSoon('write', new Set(['personal']));
  await tick(10);
  runner.requestSoon('resolve', new Set(['contacts']));
  assert.equal(runs.length, 0, 'nothing runs while writes keep coming');
  assert.equal(runner.scheduledSoon, true);
  await tick(80);
  assert.equal(runs.length, 1);
  assert.deepEqual(runs[0]!.reasons, ['write', 'resolve']);
  assert.equal(scopeOf(runs[0]!), 'contacts,personal');
});

test('a write during a run widens the follow-up; a scheduled run makes it cover everything', async () => {
  // The first run lasts until the test lets it end, so a loaded machine cannot end it early.
  const runs: RunRequest[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const runner = new SyncRunner({
    debounceMs: 30,
    run: async (req) => {
      runs.push(req);
      if (runs.length === 1) await gate;
      return true;
    },
  });
  const first = runner.request('start', new Set(['contacts']));
  await tick(5);
  runner.requestSoon('write', new Set(['personal']));
  // Timers fire in order: the 30 ms debounce has fired once this 40 ms wait is over.
  await tick(40);
  void runner.request('schedule');
  release();
  await first;
  await tick(150);
  assert.deepEqual(runs.map(scopeOf), ['contacts', 'all']);
  assert.deepEqual(runs[1]!.reasons, ['write', 'schedule']);
});

test('stop waits for the running sync, drops what was only due, and refuses new runs', async () => {
  const { runner, runs } = recording(50);
  void runner.request('start');
  await tick(5);
  runner.requestSoon('write');
  const stopped = await runner.stop();
  assert.equal(stopped.dropped, true);
  assert.equal(runs.length, 1);
  assert.equal(runner.busy, false);
  await runner.request('schedule');
  runner.requestSoon('write');
  await tick(60);
  assert.equal(runs.length, 1);
});

test('a run that throws is reported and does not stop later runs', async () => {
  const errors: unknown[] = [];
  let n = 0;
  const runner = new SyncRunner({
    debounceMs: 10,
    run: async () => {
      n += 1;
      if (n === 1) throw new Error('boom');
      return true;
    },
    onCrash: (e) => errors.push(e),
  });
  await runner.request('start');
  assert.equal(runner.status().last?.ok, false);
  await runner.request('schedule');
  assert.equal(runner.status().last?.ok, true);
  assert.equal(errors.length, 1);
});
