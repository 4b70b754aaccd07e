/**
 * The connector types that read local files in vCard or iCalendar, loaded together by
 * connectors/registry.ts: one dynamic import keeps their option schemas in one bundle chunk
 * (a chunk per type cost every command's start ~2 %: docs/performance.md, "Speed round 5").
 */
export * as vdir from './vdir/index.js';
export * as vcardFile from './vcard-file/index.js';
export * as icsFile from './ics-file/index.js';
