import pino, { type DestinationStream, type Level, type Logger } from 'pino';

/**
 * The daemon's structured log (pino): JSON lines on stdout when it is not a terminal
 * (journald, docker, a log shipper), short readable lines on a terminal. Secrets are
 * never passed to it; `redact` is a second line of defence for the usual key names.
 * Item contents are never logged, only uids, labels and counts.
 */
export const LOG_LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export function createLogger(opts: { level?: string; pretty?: boolean; stream?: DestinationStream } = {}): Logger {
  const level = opts.level ?? process.env.PIMHUB_LOG_LEVEL ?? 'info';
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  const options = {
    name: 'pimhub',
    level,
    base: { pid: process.pid },
    redact: { paths: ['password', '*.password', 'authorization', '*.authorization', 'headers.authorization'], censor: '[redacted]' },
  };
  const dest = opts.stream ?? (pretty ? prettyStream(process.stdout) : pino.destination({ dest: 1, sync: true }));
  return pino(options, dest);
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOURS: Record<number, string> = { 10: '\x1b[90m', 20: '\x1b[90m', 30: '\x1b[32m', 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[41m' };
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'module']);

/** `12:00:01 INFO  sync: done  reasons=write changes=1` for people at a terminal. */
function prettyStream(out: NodeJS.WriteStream): DestinationStream {
  return {
    write(line: string) {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const lvl = Number(rec.level);
      const time = new Date(Number(rec.time)).toTimeString().slice(0, 8);
      const extras = Object.entries(rec)
        .filter(([k]) => !HIDDEN.has(k))
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const mod = typeof rec.module === 'string' ? `${rec.module}: ` : '';
      out.write(`\x1b[90m${time}\x1b[0m ${LEVEL_COLOURS[lvl] ?? ''}${(LEVEL_NAMES[lvl] ?? String(lvl)).padEnd(5)}\x1b[0m ${mod}${String(rec.msg ?? '')}${extras ? `  \x1b[90m${extras}\x1b[0m` : ''}\n`);
    },
  };
}
