#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli/main.js) into dist/bundle/cli/ with esbuild, so
// `pimhub` starts by loading a few files instead of several hundred (docs/performance.md,
// "Start-up"). Commands stay separate chunks, loaded when run. Run after `tsc`
// (`npm run build` does both); bin/pimhub uses the bundle only while it is newer than
// dist/src/cli/main.js, so a later `tsc` alone never runs stale code.
import { rmSync } from 'node:fs';

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without dev dependencies: pimhub runs from dist/, only a little slower to start.
  console.warn('bundle: esbuild is not installed; bin/pimhub runs from dist/');
  process.exit(0);
}

const outdir = 'dist/bundle/cli';
rmSync('dist/bundle', { recursive: true, force: true });
await esbuild.build({
  entryPoints: ['dist/src/cli/main.js'],
  bundle: true,
  minify: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The same depth as dist/src/cli/, so main.js finds ../../../package.json from here too.
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  // Native code (better-sqlite3), worker files loaded by path (pino) and optional native
  // add-ons probed at run time (mongodb) stay in node_modules.
  external: ['better-sqlite3', 'mongodb', 'pino'],
  // CommonJS dependencies require node's built-ins; in an ES module that needs a require.
  banner: { js: "import { createRequire as __pimhubRequire } from 'node:module'; const require = __pimhubRequire(import.meta.url);" },
  logLevel: 'warning',
});
