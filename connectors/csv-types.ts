/** The CSV connector types, loaded together by connectors/registry.ts (see local-types.ts). */
export * as googleCsv from './google-csv/index.js';
export * as outlookCsv from './outlook-csv/index.js';
