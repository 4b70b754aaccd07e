import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { PimError, messageOf } from '../core/errors.js';
import type { CollectionKind } from '../core/types.js';
import { parsePolicy, type ConflictPolicy } from '../merge/policy.js';
import { configSchema } from './schema.js';

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
export type ConnectorSchemas = Record<string, z.ZodType>;

type Problem = { path: Array<string | number>; message: string };

/** zod issues as problems under a key path; unknown keys are named one by one. */
function toProblems(prefix: Array<string | number>, issues: z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((i) => {
    const at = [...prefix, ...(i.path as Array<string | number>)];
    return i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: [...at, k], message: 'unknown key' })) : [{ path: at, message: i.message }];
  });
}

function formatProblems(file: string, problems: Problem[]): string {
  return problems.map((p) => `${file}: ${p.path.length ? p.path.join('.') : '(top level)'}: ${p.message}`).join('\n');
}

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

export function parseConfig(text: string, file: string, schemas: ConnectorSchemas): PimhubConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new PimError('config', doc.errors.map((e) => `${file}: ${e.message.split('\n')[0]}`).join('\n'), { where: file });
  }
  const raw = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PimError('config', formatProblems(file, toProblems([], parsed.error.issues)), { where: file });
  }
  const cfg = parsed.data;
  const problems: Problem[] = [];
  const connectors: Record<string, ConnectorConfig> = {};
  for (const [name, c] of Object.entries(cfg.connectors)) {
    const schema = schemas[c.type];
    if (!schema) {
      problems.push({ path: ['connectors', name, 'type'], message: `unknown connector type "${c.type}"; expected one of ${Object.keys(schemas).join(', ')}` });
      continue;
    }
    const r = schema.safeParse(c);
    if (!r.success) {
      problems.push(...toProblems(['connectors', name], r.error.issues));
      continue;
    }
    connectors[name] = { name, type: c.type, options: r.data as Record<string, unknown> };
  }
  const collections: Record<string, CollectionConfig> = {};
  for (const [name, c] of Object.entries(cfg.collections)) {
    const members: MemberRef[] = [];
    c.members.forEach((m, i) => {
      const [connector, ...rest] = m.split('/');
      if (!cfg.connectors[connector!]) {
        problems.push({ path: ['collections', name, 'members', i], message: `no connector named "${connector}" under connectors` });
      }
      if (members.some((x) => x.name === m)) problems.push({ path: ['collections', name, 'members', i], message: `"${m}" is listed twice` });
      members.push(rest.length ? { name: m, connector: connector!, remote: rest.join('/') } : { name: m, connector: connector! });
    });
    if (c.owner !== undefined && !cfg.server.users[c.owner]) {
      problems.push({ path: ['collections', name, 'owner'], message: `no user "${c.owner}" under server.users` });
    }
    collections[name] = { name, kind: c.kind, members, owner: c.owner, displayName: c.displayName, color: c.color, description: c.description };
  }
  const policy = parsePolicy(cfg.conflict)!;
  if (policy.kind === 'prefer') {
    for (const p of policy.order) {
      if (!cfg.connectors[p.split('/')[0]!] && p !== 'endpoint') problems.push({ path: ['conflict'], message: `prefer names "${p}", which is not a connector` });
    }
  }
  if (problems.length > 0) throw new PimError('config', formatProblems(file, problems), { where: file });
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
