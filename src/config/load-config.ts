import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as z from './zod.js';
import type { Schema } from './zod.js';
import { PimError, messageOf } from '../core/errors.js';
import type { CollectionKind } from '../core/types.js';
import { parsePolicy, type ConflictPolicy } from '../merge/policy.js';
import { formatProblems, toProblems, didYouMean, type Problem, type Source } from './problems.js';
import { configSchema, type RawConfig } from './schema.js';
import { quickRead } from './quick-read.js';
import { yamlLibrary } from './yaml-library.js';

/** Seconds the endpoint's HTTP server waits (`server.timeouts`; applied in src/server/http-limits.ts). */
export interface HttpTimeouts {
  /** All request headers must have arrived within this. */
  headers: number;
  /** The whole request, body included, must have arrived within this. */
  request: number;
  /** An idle kept-alive connection is closed after this. */
  keepAlive: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { headers: 10, request: 25, keepAlive: 5 };

export interface MemberRef {
  /** As written: `cloud/contacts`. */
  name: string;
  connector: string;
  remote?: string;
}

export interface CollectionConfig {
  name: string;
  kind: CollectionKind;
  members: MemberRef[];
  owner?: string;
  displayName?: string;
  color?: string;
  description?: string;
}

export interface ConnectorConfig {
  name: string;
  type: string;
  /** Options as validated by the connector type's schema. */
  options: Record<string, unknown>;
}

export interface UserConfig {
  passwordEnv?: string;
  passwordCommand?: string[];
  passwordHash?: string;
}

export interface PimhubConfig {
  file: string;
  baseDir: string;
  store: string;
  schedule: string;
  defaultRegion: string;
  conflict: ConflictPolicy;
  deleteGuard: number;
  server: { host: string; port: number; users: Record<string, UserConfig>; tls?: { cert: string; key: string }; maxBodyBytes: number; timeouts: HttpTimeouts };
  connectors: Record<string, ConnectorConfig>;
  collections: Record<string, CollectionConfig>;
}

/** Each connector type's option schema, from connectors/registry.ts (the config layer knows no type names). */
export type ConnectorSchemas = Record<string, Schema>;

/** Reads, validates and resolves a config file. Throws PimError('config') listing every problem. */
export function loadConfig(file: string, schemas: ConnectorSchemas): PimhubConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PimError('config', `${file}: cannot read the config file (${messageOf(e)}); create one with \`pimhub init\``, { where: file });
  }
  return parseConfig(text, path, schemas);
}

/**
 * A valid config is read once, by js-yaml (quick-read.ts); one with any problem is read again
 * by yaml, the reader of record, whose document places each message at its line and column.
 */
export function parseConfig(text: string, file: string, schemas: ConnectorSchemas): PimhubConfig {
  const quick = quickRead(text);
  if (quick !== undefined) {
    const checked = checkConfig(quick ?? {}, schemas);
    if (checked.config) return resolveConfig(checked.config, checked.connectors, file);
  }
  const { LineCounter, parseDocument } = yamlLibrary();
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new PimError('config', doc.errors.map((e) => {
      const at = e.linePos?.[0];
      return `${file}${at ? `:${at.line}:${at.col}` : ''}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
    }).join('\n'), { where: file });
  }
  const checked = checkConfig(doc.toJS() ?? {}, schemas);
  if (checked.config) return resolveConfig(checked.config, checked.connectors, file);
  const src: Source = { file, doc, lines };
  throw new PimError('config', formatProblems(src, checked.problems), { where: file });
}

type Checked =
  | { config: RawConfig; connectors: Record<string, ConnectorConfig>; problems?: undefined }
  | { config?: undefined; problems: Problem[] };

/** The config's value checked against the schema, each connector's options and the names they refer to. */
function checkConfig(raw: unknown, schemas: ConnectorSchemas): Checked {
  const problems: Problem[] = [];
  // Every part is checked even when another failed, so one run lists every problem.
  const parsed = z.safeParse(configSchema, raw);
  if (!parsed.success) problems.push(...toProblems(configSchema, raw, [], parsed.error.issues));
  const rawObj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});
  const rawConnectors = rawObj(rawObj(raw).connectors);
  const rawCollections = rawObj(rawObj(raw).collections);
  const rawUsers = rawObj(rawObj(rawObj(raw).server).users);
  const connectors: Record<string, ConnectorConfig> = {};
  for (const [name, c] of Object.entries(rawConnectors)) {
    const type = rawObj(c).type;
    if (typeof type !== 'string') continue; // reported by the top-level schema
    const schema = schemas[type];
    if (!schema) {
      problems.push({ path: ['connectors', name, 'type'], message: `unknown connector type "${type}"${didYouMean(type, Object.keys(schemas)) || `; expected one of ${Object.keys(schemas).join(', ')}`}` });
      continue;
    }
    const r = z.safeParse(schema, c);
    if (!r.success) {
      problems.push(...toProblems(schema, c, ['connectors', name], r.error.issues));
      continue;
    }
    connectors[name] = { name, type, options: r.data as Record<string, unknown> };
  }
  for (const [name, c] of Object.entries(rawCollections)) {
    const members = rawObj(c).members;
    if (Array.isArray(members)) {
      members.forEach((m: unknown, i) => {
        if (typeof m !== 'string') return;
        const connector = m.split('/')[0]!;
        if (!Object.hasOwn(rawConnectors, connector)) {
          problems.push({ path: ['collections', name, 'members', i], message: `no connector named "${connector}" under connectors${didYouMean(connector, Object.keys(rawConnectors))}` });
        }
        if (members.indexOf(m) !== i) problems.push({ path: ['collections', name, 'members', i], message: `"${m}" is listed twice` });
      });
    }
    const owner = rawObj(c).owner;
    if (typeof owner === 'string' && !Object.hasOwn(rawUsers, owner)) {
      problems.push({ path: ['collections', name, 'owner'], message: `no user "${owner}" under server.users${didYouMean(owner, Object.keys(rawUsers))}` });
    }
  }
  const policy = parsed.success ? parsePolicy(parsed.data.conflict) : undefined;
  if (policy?.kind === 'prefer') {
    for (const p of policy.order) {
      const name = p.split('/')[0]!;
      if (!Object.hasOwn(rawConnectors, name) && p !== 'endpoint') problems.push({ path: ['conflict'], message: `prefer names "${p}", which is not a connector${didYouMean(name, Object.keys(rawConnectors))}` });
    }
  }
  if (problems.length > 0 || !parsed.success) return { problems };
  return { config: parsed.data, connectors };
}

/** A checked config with its paths, members and server address resolved. */
function resolveConfig(cfg: RawConfig, connectors: Record<string, ConnectorConfig>, file: string): PimhubConfig {
  const policy = parsePolicy(cfg.conflict)!;
  const collections: Record<string, CollectionConfig> = {};
  for (const [name, c] of Object.entries(cfg.collections)) {
    const members: MemberRef[] = c.members.map((m) => {
      const [connector, ...rest] = m.split('/');
      return rest.length ? { name: m, connector: connector!, remote: rest.join('/') } : { name: m, connector: connector! };
    });
    collections[name] = { name, kind: c.kind, members, owner: c.owner, displayName: c.displayName, color: c.color, description: c.description };
  }
  const m = /^(.*):(\d+)$/.exec(cfg.server.listen)!;
  return {
    file,
    baseDir: dirname(file),
    store: cfg.store,
    schedule: cfg.schedule,
    defaultRegion: cfg.defaultRegion,
    conflict: policy,
    deleteGuard: cfg.deleteGuard,
    server: {
      host: m[1]!.replace(/^\[|\]$/g, ''),
      port: Number(m[2]),
      users: cfg.server.users,
      tls: cfg.server.tls,
      maxBodyBytes: cfg.server.maxBodyBytes,
      timeouts: { ...DEFAULT_TIMEOUTS, ...Object.fromEntries(Object.entries(cfg.server.timeouts ?? {}).filter(([, v]) => v !== undefined)) },
    },
    connectors,
    collections,
  };
}
