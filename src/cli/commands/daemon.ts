import cron from 'node-cron';
import { openContext } from '../context.js';
import { describeError } from '../errors.js';
import { syncAll } from './sync.js';

/**
 * Scheduled syncs: one run at start, then on the config's cron schedule. A run due while
 * one is going is coalesced into a single follow-up run, never run alongside.
 */
export async function daemonCommand(opts: { config?: string }): Promise<number> {
  const app = await openContext(opts.config);
  const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
  let running: Promise<void> | undefined;
  let again = false;
  const runOnce = async (why: string) => {
    if (running) {
      again = true;
      log(`sync due (${why}) while one is running: coalesced`);
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const r = await syncAll(app, {});
          const changes = r.reports.reduce((n, x) => n + x.changes.length, 0);
          const writes = r.reports.reduce((n, x) => n + x.writes.length, 0);
          log(`sync (${why}): ${changes} store changes, ${writes} writes, ${r.errors.length} errors`);
          for (const e of r.errors) log(`  ${e.collection}${e.member ? `/${e.member}` : ''}: ${e.where}: ${e.message}`);
        } catch (e) {
          log(`sync (${why}) failed: ${describeError(e).message}`);
        }
      } while (again);
      running = undefined;
    })();
    await running;
  };
  log(`pimhub daemon: config ${app.config.file}, schedule "${app.config.schedule}"`);
  const task = cron.schedule(app.config.schedule, () => void runOnce('schedule'));
  await runOnce('start');
  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      log(`${sig}: stopping after the current sync`);
      void task.stop();
      void (running ?? Promise.resolve()).then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await app.close();
  return 0;
}
