/**
 * vdirsyncer's config file: INI sections (`[general]`, `[pair NAME]`, `[storage NAME]`),
 * `key = value` lines whose values are JSON ("invalid JSON will get interpreted as string",
 * as vdirsyncer's docs say), `#` and `;` comment lines, indented continuation lines.
 */
import { PimError } from '../../core/errors.js';

export type IniValue = unknown;

export interface VdirsyncerConfig {
  general: Record<string, IniValue>;
  pairs: Array<{ name: string; line: number; options: Record<string, IniValue> }>;
  storages: Array<{ name: string; line: number; options: Record<string, IniValue> }>;
}

function value(text: string): IniValue {
  const t = text.trim();
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
}

export function parseVdirsyncerConfig(text: string, file: string): VdirsyncerConfig {
  const out: VdirsyncerConfig = { general: {}, pairs: [], storages: [] };
  let section: Record<string, IniValue> | undefined;
  let last: { key: string; text: string } | undefined;
  const flush = () => {
    if (section && last) section[last.key] = value(last.text);
    last = undefined;
  };
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^\s*([#;].*)?$/.test(line)) return;
    if (/^\s/.test(line) && last) {
      last.text += `\n${line}`;
      return;
    }
    flush();
    const head = /^\[\s*(general|pair|storage)(?:\s+([^\]]+?))?\s*\]\s*$/.exec(line);
    if (head) {
      const options: Record<string, IniValue> = {};
      if (head[1] === 'general') out.general = options;
      else (head[1] === 'pair' ? out.pairs : out.storages).push({ name: head[2] ?? '', line: i + 1, options });
      section = options;
      return;
    }
    const kv = /^([A-Za-z0-9_.]+)\s*[=:]\s?(.*)$/.exec(line);
    if (!kv || !section) {
      throw new PimError('config', `${file}:${i + 1}: not a vdirsyncer config line: ${JSON.stringify(line.slice(0, 60))}`, { where: file, line: i + 1 });
    }
    last = { key: kv[1]!, text: kv[2]! };
  });
  flush();
  return out;
}
