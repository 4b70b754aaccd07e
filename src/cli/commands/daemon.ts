import type { Server } from 'node:http';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { WriteEvent } from '../../server/context.js';
import type { SyncInfo } from '../../server/review/render-page.js';
import { SyncRunner, type RunRequest } from '../../schedule/sync-runner.js';
import { openContext, type AppContext } from '../context.js';
import { describeError, UsageError } from '../errors.js';
import { createLogger, LOG_LEVELS } from '../logger.js';
import { formatUrls, listen, serverUrls } from './serve.js';
import { CHANGE_ACTIONS } from '../../sync/report.js';
import { syncAll } from './sync.js';

export interface DaemonOptions {
  config?: string;
  /** Seconds of quiet after a write through the endpoint before its sync starts. */
  debounce?: string;
  /** `--no-initial-sync` sets false. */
  initialSync?: boolean;
  logLevel?: string;
  /** A line printed with the URLs (`npm start` names the demo login). */
  loginHint?: string;
}

/** How long a shutdown waits for open requests before closing their connections. */
const CLOSE_GRACE_MS = 10_000;

/**
 * `pimhub daemon` (SPEC §3): the endpoint of `pimhub serve`, plus syncs on the config's
 * cron schedule, at start, and a couple of seconds after any change made through the
 * endpoint or the review page (so a contact saved in Thunderbird reaches the other members
 * without waiting for the schedule). Never two runs at once: a run due while one is going
 * is coalesced into one follow-up run (src/schedule/sync-runner.ts). SIGTERM/SIGINT: stop
 * accepting connections, let the running sync finish, close the store, exit 0.
 * Logs are pino JSON lines on stdout (readable lines on a terminal).
 */
export async function daemonCommand(opts: DaemonOptions): Promise<number> {
  const debounceMs = parseDebounce(opts.debounce);
  if (opts.logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(opts.logLevel)) {
    throw new UsageError(`--log-level ${opts.logLevel}: expected one of ${LOG_LEVELS.join(', ')}`);
  }
  const logger = createLogger({ level: opts.logLevel });
  const log = logger.child({ module: 'daemon' });
  // Signals are caught from the start: one arriving while the daemon starts up stops it
  // cleanly once it is up; a second one exits at once.
  let received: string | undefined;
  let wake: ((sig: string) => void) | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (received) {
      log.warn({ signal: sig }, 'second signal: exiting without waiting (the next start finishes any interrupted sync)');
      process.exit(1);
    }
    received = sig;
    wake?.(sig);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const app = await openContext(opts.config, { users: true, connectors: 'all' }).catch((e: unknown) => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    throw e;
  });
  let task: ScheduledTask | undefined;
  let server: Server | undefined;
  try {
    const runner = new SyncRunner({
      debounceMs,
      run: (req) => runSync(app, req, logger.child({ module: 'sync' })),
      onCoalesced: (req) => log.info({ reasons: req.reasons }, 'sync due while one is running: coalesced into the next run'),
      onCrash: (e) => log.error({ error: describeError(e).message }, 'sync crashed'),
    });
    const syncInfo = (): SyncInfo => {
      const s = runner.status();
      const next = task?.getNextRun();
      return {
        running: s.running,
        ...(s.last ? { lastRun: { finishedAt: s.last.finishedAt, ok: s.last.ok } } : {}),
        ...(next ? { nextRun: next.toISOString() } : {}),
        schedule: app.config.schedule,
      };
    };
    const onWrite = (e: WriteEvent) => {
      log.info({ source: e.source, method: e.method, user: e.user, collection: e.collection }, e.source === 'review' ? 'decision changed on the review page' : 'change through the endpoint');
      if (!app.config.collections[e.collection]) return; // created by a client: the endpoint is its only member
      runner.requestSoon(e.source === 'review' ? 'resolve' : 'write', new Set([e.collection]));
    };
    server = await listen(app, { onWrite, syncInfo, log: (line, level) => (level === 'warn' ? log.warn(line) : log.error(line)) });
    const urls = await serverUrls(app, server);
    const listening = { url: urls.review, carddav: urls.carddav, caldav: urls.caldav, config: app.config.file, schedule: app.config.schedule, debounceMs };
    // On a terminal the block of URLs below says it better than the log line.
    if (process.stdout.isTTY) log.debug(listening, 'listening');
    else log.info(listening, 'listening');
    if (process.stdout.isTTY) {
      for (const line of formatUrls(urls, 'daemon')) process.stdout.write(`${line}\n`);
      if (opts.loginHint) process.stdout.write(`  ${opts.loginHint}\n`);
      process.stdout.write(`  syncs: at start, on "${app.config.schedule}", and ${debounceMs / 1000} s after a change; Ctrl-C stops\n`);
    } else if (opts.loginHint) {
      log.info(opts.loginHint);
    }

    task = cron.schedule(app.config.schedule, () => void runner.request('schedule'), { name: 'pimhub-sync', logger: cronLogger(log) });
    if (opts.initialSync !== false) void runner.request('start');

    const signal = received ?? (await new Promise<string>((resolve) => {
      wake = resolve;
    }));
    log.info({ signal, syncing: runner.busy }, runner.busy ? 'stopping: finishing the running sync' : 'stopping');
    await task.destroy();
    const closed = closeServer(server);
    const { dropped } = await runner.stop();
    if (dropped) log.info('a sync that was due is left for the next start');
    await closed;
    server = undefined;
    log.info('stopped');
    return 0;
  } finally {
    await task?.destroy();
    if (server) await closeServer(server);
    await app.close();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** One sync run (all collections, or those a write touched), logged without item contents. */
async function runSync(app: AppContext, req: RunRequest, log: Logger): Promise<boolean> {
  const only = req.scope === 'all' ? undefined : [...req.scope].filter((n) => app.config.collections[n]);
  if (only && only.length === 0) return true;
  const started = Date.now();
  log.info({ reasons: req.reasons, collections: only ?? 'all' }, 'sync started');
  try {
    const trigger = req.reasons.every((x) => x === 'write') ? 'endpoint' : req.reasons.every((x) => x === 'resolve') ? 'review' : 'schedule';
    const r = await syncAll(app, { only, trigger, lines: log.isLevelEnabled('debug') });
    let changes = 0;
    let writes = 0;
    let conflicts = 0;
    for (const rep of r.reports) {
      changes += CHANGE_ACTIONS.reduce((n, a) => n + rep.counts[a], 0);
      writes += rep.counts.writes;
      conflicts += rep.counts.conflict;
      for (const c of rep.changes) log.debug({ collection: rep.name, action: c.action, uid: c.uid, label: c.label, member: c.member }, 'store change');
      for (const w of rep.writes) log.debug({ collection: rep.name, member: w.member, op: w.op, label: w.label }, 'write to member');
      if (rep.quarantined) log.warn({ collection: rep.name, quarantined: rep.quarantined }, 'items quarantined');
      if (rep.recovered) log.info({ collection: rep.name, recovered: rep.recovered }, 'finished writes of an interrupted run');
    }
    for (const e of r.errors) log.warn({ collection: e.collection, member: e.member || undefined, where: e.where, error: e.message }, 'sync error');
    log.info({ reasons: req.reasons, durationMs: Date.now() - started, changes, writes, conflicts, errors: r.errors.length }, 'sync done');
    return r.errors.length === 0;
  } catch (e) {
    log.error({ reasons: req.reasons, durationMs: Date.now() - started, error: describeError(e).message }, 'sync failed');
    return false;
  }
}

/** Stops accepting connections; open requests finish (for at most CLOSE_GRACE_MS). */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function parseDebounce(v: string | undefined): number {
  if (v === undefined) return 2000;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 3600) throw new UsageError(`--debounce ${v}: expected seconds between 0 and 3600, e.g. 2 or 0.5`);
  return Math.round(n * 1000);
}

/** node-cron's own messages (missed runs after a pause, …) into the daemon's log. */
function cronLogger(log: Logger) {
  const c = log.child({ module: 'cron' });
  const text = (m: string | Error) => (m instanceof Error ? m.message : m);
  return {
    info: (m: string) => c.debug(m),
    warn: (m: string) => c.warn(m),
    error: (m: string | Error) => c.error(text(m)),
    debug: (m: string | Error) => c.debug(text(m)),
  };
}
