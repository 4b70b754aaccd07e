import { createRequire } from 'node:module';

type Iconv = typeof import('iconv-lite');
let library: Iconv | undefined;

/**
 * iconv-lite, for text that is not UTF-8 (windows-1252 fallbacks, vCard 2.1 CHARSET=,
 * UTF-16 CSV). Its code pages are ~490 KB of code that every command loading a codec
 * would compile at start (a no-change `pimhub sync` among them), so it is loaded, through
 * its CommonJS build, when the first such text is met (docs/performance.md, "Speed round 4").
 */
export function iconv(): Iconv {
  return (library ??= createRequire(import.meta.url)('iconv-lite') as Iconv);
}
