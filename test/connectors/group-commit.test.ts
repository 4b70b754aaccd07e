import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit } from '../../connectors/shared/group-commit.js';

/** A commit that records its groups and ends only when the test releases it. */
function recorder() {
  const groups: string[][] = [];
  const releases: Array<() => void> = [];
  const g = new GroupCommit<string>(async (items) => {
    groups.push(items);
    await new Promise<void>((r) => releases.push(r));
    return items.map((i) => (i.startsWith('bad') ? new Error(`cannot sync ${i}`) : undefined));
  });
  return { g, groups, release: () => releases.shift()!() };
}

const tick = () => new Promise((r) => setImmediate(r));

test('group-commit: items added in one tick share a commit; items added while it runs share the next', async () => {
  const { g, groups, release } = recorder();
  const settled: string[] = [];
  const add = (i: string) => g.add(i).then(() => settled.push(i));
  const first = [add('a'), add('b')];
  await tick();
  assert.deepEqual(groups, [['a', 'b']]);
  const second = [add('c'), add('d'), add('e')];
  await tick();
  assert.deepEqual(groups, [['a', 'b']], 'the next commit waits for the running one');
  assert.deepEqual(settled, [], 'no caller returns before its commit ended');
  release();
  await Promise.all(first);
  await tick();
  assert.deepEqual(settled, ['a', 'b']);
  assert.deepEqual(groups, [['a', 'b'], ['c', 'd', 'e']]);
  release();
  await Promise.all(second);
  assert.deepEqual(settled, ['a', 'b', 'c', 'd', 'e']);
});

test('group-commit: an item\'s error reaches its own caller only; a thrown commit fails its whole group, not the next', async () => {
  const { g, release } = recorder();
  const ok = g.add('good');
  const bad = g.add('bad-1');
  await tick();
  release();
  await ok;
  await assert.rejects(bad, /cannot sync bad-1/);

  let fail = true;
  const h = new GroupCommit<number>(async (items) => {
    if (fail) throw new Error('disk gone');
    return items.map(() => undefined);
  });
  const lost = [h.add(1), h.add(2)];
  for (const p of lost) await assert.rejects(p, /disk gone/);
  fail = false;
  await h.add(3);
});

test('group-commit: onIdle runs once the last commit ended with nothing waiting, not between rounds', async () => {
  const releases: Array<() => void> = [];
  let idle = 0;
  const g = new GroupCommit<number>(async (items) => {
    await new Promise<void>((r) => releases.push(r));
    return items.map(() => undefined);
  }, () => { idle += 1; });
  const first = g.add(1);
  await tick();
  const second = g.add(2);
  releases.shift()!();
  await first;
  assert.equal(idle, 0, 'a round is waiting: not idle');
  await tick();
  releases.shift()!();
  await second;
  assert.equal(idle, 1);
  const third = g.add(3);
  await tick();
  releases.shift()!();
  await third;
  assert.equal(idle, 2, 'the group works again after going idle');
});
