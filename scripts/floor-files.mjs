// Floor of B5: 10,000 files created atomically (temp file, fsync, rename), one folder fsync per 500.
import { openSync, writeSync, fsyncSync, closeSync, renameSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
const dir = mkdtempSync('/tmp/floor-');
const body = Buffer.from('BEGIN:VCARD\r\nVERSION:3.0\r\n' + 'NOTE:' + 'x'.repeat(500) + '\r\nEND:VCARD\r\n');
const t0 = performance.now(); const c0 = process.cpuUsage();
for (let i = 0; i < 10000; i++) {
  const tmp = join(dir, `.tmp-${i}`); const fd = openSync(tmp, 'wx'); writeSync(fd, body); fsyncSync(fd); closeSync(fd);
  renameSync(tmp, join(dir, `${i}.vcf`));
  if (i % 500 === 499) { const d = openSync(dir, 'r'); fsyncSync(d); closeSync(d); }
}
const c = process.cpuUsage(c0);
console.log(`10,000 atomic files: ${((performance.now() - t0) / 1000).toFixed(2)} s wall, ${((c.user + c.system) / 1e6).toFixed(2)} s CPU`);
rmSync(dir, { recursive: true });
