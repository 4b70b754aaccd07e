import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let library: Yaml | undefined;

/**
 * yaml, the config's reader of record: its document holds each node's place in the file, so
 * a problem can name its line and column. Loaded on first use, through its CommonJS build: a
 * valid config is read by quick-read.ts and never needs it (docs/performance.md, "Speed round 6").
 */
export const yamlLibrary = (): Yaml => (library ??= createRequire(import.meta.url)('yaml') as Yaml);
