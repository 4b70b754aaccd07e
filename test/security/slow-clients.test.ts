import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Scenario } from '../cli/cli-harness.js';
import { startServe, stopServe } from '../server/real-client-helpers.js';
import { basic } from './attack-helpers.js';

/**
 * Slowloris and slow bodies against a real `pimhub serve` (issue 13, point 4). Node's
 * defaults held such connections for about 80 s; `server.timeouts` cuts them (defaults: headers
 * 10 s, whole request 25 s, checked every second). What is asserted is that every slow
 * connection is closed by the server before the 30 s the issue allows, that other clients
 * are served meanwhile, and that nothing a slow body carried is stored. The default request
 * limit (25 s) is exercised with PIMHUB_LONG_TESTS=1; otherwise the body test uses a
 * configured 12 s limit, the headers test the defaults.
 */
const PW = 'slow-secret';
const ENV = { SLOW_PW: PW };
const CONNECTIONS = 20;
const GIVE_UP_MS = 30_000;

function config(timeouts: string): string {
  return `store: sqlite:./pimhub.db
server:
  listen: 127.0.0.1:0
  users:
    alice: { passwordEnv: SLOW_PW }
${timeouts}connectors:
  phone: { type: vcard-file, path: ./phone.vcf }
collections:
  contacts: { kind: contacts, members: [phone], owner: alice }
`;
}

/** Opens a socket that trickles `first` then `drip` every 500 ms; resolves with ms until the server closed it. */
function trickle(base: string, first: string, drip: string): Promise<{ ms: number; answer: string }> {
  const u = new URL(base);
  const t0 = Date.now();
  return new Promise((ok) => {
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    const s: Socket = connect(Number(u.port), u.hostname, () => {
      s.write(first);
      timer = setInterval(() => {
        if (Date.now() - t0 > GIVE_UP_MS + 5000) s.destroy();
        else if (!s.destroyed && s.writable) s.write(drip);
      }, 500);
    });
    s.on('data', (d) => (answer += String(d)));
    const done = () => {
      clearInterval(timer);
      ok({ ms: Date.now() - t0, answer: answer.split('\r\n')[0] ?? '' });
    };
    s.on('close', done);
    s.on('error', () => {});
  });
}

async function normalRequest(base: string): Promise<number> {
  const r = await fetch(`${base}/dav/`, { method: 'PROPFIND', headers: { authorization: basic('alice', PW), depth: '0' } });
  await r.text();
  return r.status;
}

const slowHeaders = (base: string) => trickle(base, 'GET /dav/ HTTP/1.1\r\nHost: x\r\n', 'X-Slow: a\r\n');
const slowBody = (base: string, name: string) => trickle(base,
  `PUT /dav/home/alice/contacts/${name}.vcf HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic('alice', PW)}\r\nContent-Type: text/vcard\r\nContent-Length: 5000\r\n\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nUID:${name}\r\nFN:Slow\r\n`, 'N');

describe('slow clients are cut within 30 s', () => {
  const s = new Scenario('slow');
  let serve: Awaited<ReturnType<typeof startServe>>;
  const long = process.env.PIMHUB_LONG_TESTS === '1';
  before(async () => {
    s.write('phone.vcf', '');
    s.config(config(long ? '' : '  timeouts: { request: 12 }\n'));
    serve = await startServe(s, ENV);
  });
  after(async () => {
    await stopServe(serve.proc);
    s.cleanup();
  });

  test(`${CONNECTIONS} slowloris connections and ${CONNECTIONS} slow bodies are closed by the server; others are served meanwhile`, async () => {
    const headerConns = Array.from({ length: CONNECTIONS }, () => slowHeaders(serve.base));
    const bodyConns = Array.from({ length: CONNECTIONS }, (_, i) => slowBody(serve.base, `slow-${i}`));
    await new Promise((ok) => setTimeout(ok, 1000));
    assert.equal(await normalRequest(serve.base), 207, 'a normal client is served while the slow ones hang');
    const heads = await Promise.all(headerConns);
    const bodies = await Promise.all(bodyConns);
    const worst = (xs: Array<{ ms: number }>) => Math.max(...xs.map((x) => x.ms));
    console.log(`slowloris cut after ≤ ${worst(heads)} ms (headers limit 10 s); slow bodies cut after ≤ ${worst(bodies)} ms (request limit ${long ? 25 : 12} s)`);
    for (const h of heads) assert.ok(h.ms < GIVE_UP_MS, `slowloris connection held ${h.ms} ms`);
    for (const b of bodies) assert.ok(b.ms < GIVE_UP_MS, `slow body held ${b.ms} ms`);
    for (const b of bodies) assert.ok(b.answer === '' || /^HTTP\/1\.1 408/.test(b.answer), b.answer);
    // Nothing of the cut bodies was stored.
    for (let i = 0; i < CONNECTIONS; i += 7) {
      const r = await fetch(`${serve.base}/dav/home/alice/contacts/slow-${i}.vcf`, { headers: { authorization: basic('alice', PW) } });
      await r.text();
      assert.equal(r.status, 404);
    }
    assert.equal(await normalRequest(serve.base), 207);
    assert.ok(!serve.output().includes(PW));
  });
});
