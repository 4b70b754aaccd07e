import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { foldLine } from '../../src/codecs/content-line/fold.js';
import { decodeOk, one } from './vcard-helpers.js';

/**
 * Regressions found by fuzzing (test/fuzz): joining a long folded line re-read the growing
 * line on every continuation, so a value of a few megabytes took minutes (quadratic). The
 * bound below is generous (a hang detector, not a speed assertion): before the fix these
 * inputs needed far longer. The other tests pin what the rewrite of the joining must keep.
 */
const BOUND_MS = 120_000;
const card = (lines: string[], version = '3.0') => ['BEGIN:VCARD', `VERSION:${version}`, ...lines, 'END:VCARD', ''].join('\r\n');

/** Runs `body` (a module text importing the codec) in a worker, stopped after the bound: a synchronous hang cannot block the test. */
function inWorker(body: string): Promise<string> {
  const codec = new URL('../../src/codecs/vcard/index.js', import.meta.url).href;
  const w = new Worker(`import { parentPort } from 'node:worker_threads'; import * as vc from ${JSON.stringify(codec)};\n${body}`, { eval: true, type: 'module' } as never);
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => void w.terminate().then(() => fail(new Error(`no result within ${BOUND_MS} ms`))), BOUND_MS);
    w.once('message', (m: string) => {
      clearTimeout(timer);
      void w.terminate().then(() => ok(m));
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
  });
}

test('a 4 MB folded value decodes, and encodes and decodes back, within a generous bound', async () => {
  const verdict = await inWorker(`
    const note = ',;\\\\x'.repeat(500_000);
    const text = ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Long', 'NOTE:' + note.replace(/[\\\\,;]/g, '\\\\$&'), 'END:VCARD', ''].join('\\r\\n');
    const problems = [];
    const [item] = vc.decodeVCards(text).items;
    if (item?.card.props.find((p) => p.name === 'note')?.values[0] !== note) problems.push('decoded value differs');
    for (const v of ['3.0', '4.0']) {
      const out = vc.encodeVCard(item, v);
      if (out.split('\\r\\n').length < 40000) problems.push(v + ': not folded');
      const back = vc.decodeVCards(out);
      if (back.problems.length || back.items[0]?.card.props.find((p) => p.name === 'note')?.values[0] !== note) problems.push(v + ': does not read back');
    }
    parentPort.postMessage(problems.join('; ') || 'ok');`);
  assert.equal(verdict, 'ok');
});

test('folding: lines of 75 octets, surrogate pairs and 2/3-octet characters never split, lone surrogates count 3', () => {
  const line = `NOTE:${'a€😀ß'.repeat(500)}\ud800x`;
  const out = foldLine(line);
  assert.equal(out.map((l, i) => (i === 0 ? l : l.slice(1))).join(''), line);
  for (const l of out) assert.ok(Buffer.byteLength(l, 'utf8') <= 75, l);
  for (const l of out.slice(1)) assert.ok(l.startsWith(' '));
  for (const l of out) assert.ok(!/[\ud800-\udbff]$/.test(l) || l.endsWith('\ud800'), 'a pair is never cut');
});

test('joining lines: a name folded before its colon, quoted-printable soft breaks, 2.1 base64 blocks', () => {
  const [a] = decodeOk(card(['FN:Folded', 'NO', ' TE;X-A="a:b"', ' :value with "quotes": and colon']));
  assert.equal(one(a!, 'note').values[0], 'value with "quotes": and colon');
  const [b] = decodeOk(card(['FN:QP', 'NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0A=', 'line two =', '', 'N:x;y;;;'], '2.1'));
  assert.equal(one(b!, 'note').values[0], 'line one\nline two ');
  const b64 = Buffer.from('a'.repeat(300)).toString('base64');
  const [c] = decodeOk(card(['FN:B64', `PHOTO;ENCODING=BASE64;TYPE=JPEG:${b64.slice(0, 60)}`, ...b64.slice(60).match(/.{1,60}/g)!.map((x) => `  ${x}`), ''], '2.1'));
  assert.ok(JSON.stringify(one(c!, 'photo').values).includes(b64.slice(0, 40)));
  const r = decodeVCards(card(['FN:x', `X-NOCOLON${' \r\n x'.repeat(20_000)}`]));
  assert.equal(r.items.length + r.problems.length, 1, 'a line without its colon is one problem, not a hang');
});
