#!/usr/bin/env node
// Summarises a V8 CPU profile (`node --cpu-prof`): self time per function and per file or
// package, optionally only inside the calls of one function (`--under mergeItem`).
// Usage: node scripts/profile-summary.mjs FILE.cpuprofile [--top 30] [--under NAME]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const file = args[0];
if (!file) {
  process.stderr.write('usage: node scripts/profile-summary.mjs FILE.cpuprofile [--top N] [--under FUNCTION]\n');
  process.exit(2);
}
const top = Number(opt('top', 30));
const under = opt('under');
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
});

const inside = (id) => {
  for (let x = id; x !== undefined; x = parent.get(x)) if (nodes.get(x).callFrame.functionName === under) return true;
  return false;
};
const shortUrl = (url) => url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/');
const pkg = (url) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return m ? `node_modules/${m[1]}` : shortUrl(url) || '(native)';
};

const byFunction = new Map();
const byFile = new Map();
let counted = 0;
for (const [id, t] of self) {
  if (under && !inside(id)) continue;
  counted += t;
  const cf = nodes.get(id).callFrame;
  const fn = `${cf.functionName || '(anonymous)'} ${shortUrl(cf.url)}:${cf.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + t);
  byFile.set(pkg(cf.url), (byFile.get(pkg(cf.url)) ?? 0) + t);
}

const ms = (us) => (us / 1000).toFixed(1).padStart(9);
const show = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(t)} ms ${((100 * t) / counted).toFixed(1).padStart(5)} %  ${k}`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled${under ? `, ${(counted / 1000).toFixed(0)} ms inside ${under}` : ''}`);
show('self time by function', byFunction);
show('self time by file or package', byFile);
