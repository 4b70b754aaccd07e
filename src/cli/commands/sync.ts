import { isPimError, messageOf } from '../../core/errors.js';
import type { RunTrigger } from '../../core/store.js';
import { CHANGE_ACTIONS } from '../../sync/report.js';
import { newRun, recordRunEnd, recordRunStart } from '../../sync/runs.js';
import { syncCollection } from '../../sync/sync-collection.js';
import type { CollectionReport, ItemError, MemberInput } from '../../sync/types.js';
import { openContext, type AppContext } from '../context.js';
import { EXIT, describeError, UsageError } from '../errors.js';
import { createOutput, type Output } from '../output.js';

export interface SyncOptions {
  config?: string;
  dryRun?: boolean;
  only?: string[];
  allowMassDelete?: boolean;
  json?: boolean;
  /** What started this round (`pimhub runs`): the CLI unless the daemon says otherwise. */
  trigger?: RunTrigger;
  /** Whether the reports list each change and write; by default only `--json` and `--dry-run` print them. */
  lines?: boolean;
}

export interface SyncOutcome {
  /** The run's id; none for a dry run, which changes nothing. */
  run?: string;
  reports: CollectionReport[];
  errors: ItemError[];
  exitCode: number;
}

/** One sync round over the configured collections; used by `pimhub sync` and the daemon. */
export async function syncAll(app: AppContext, opts: SyncOptions, out?: Output): Promise<SyncOutcome> {
  const names = opts.only && opts.only.length > 0 ? opts.only : Object.keys(app.config.collections);
  for (const n of names) {
    if (!app.config.collections[n]) {
      throw new UsageError(`--only ${n}: no collection of that name; the config has ${Object.keys(app.config.collections).join(', ') || 'none'}`);
    }
  }
  const reports: CollectionReport[] = [];
  const errors: ItemError[] = [];
  let exitCode: number = EXIT.ok;
  const run = newRun(opts.trigger ?? 'cli', new Date(), 'sync');
  if (!opts.dryRun) await recordRunStart(app.store, run);
  for (const name of names) {
    const col = app.config.collections[name]!;
    const members: MemberInput[] = [];
    for (const m of col.members) {
      try {
        members.push({ name: m.name, source: await (await app.connector(m.connector)).source(col.kind, m.remote) });
      } catch (e) {
        errors.push({ collection: name, member: m.name, where: isPimError(e) && e.where ? e.where : m.name, message: messageOf(e) });
      }
    }
    try {
      const report = await syncCollection({
        store: app.store, collection: name, kind: col.kind, members, policy: app.config.conflict,
        deleteGuard: app.config.deleteGuard, allowMassDelete: !!opts.allowMassDelete, dryRun: !!opts.dryRun,
        identity: app.identity, run: run.id, now: () => new Date(), progress: out?.progress(),
        lines: opts.lines ?? (!!opts.json || !!opts.dryRun),
      });
      reports.push(report);
      errors.push(...report.errors);
    } catch (e) {
      if (isPimError(e, 'guard')) {
        exitCode = EXIT.guard;
        errors.push({ collection: name, member: '', where: name, message: e.message });
        continue;
      }
      errors.push({ collection: name, member: '', where: name, message: describeError(e, 'sync').message });
    }
  }
  if (exitCode === EXIT.ok && errors.length > 0) exitCode = EXIT.itemErrors;
  if (opts.dryRun) return { reports, errors, exitCode };
  await recordRunEnd(app.store, run, reports, new Date());
  return { run: run.id, reports, errors, exitCode };
}

export async function syncCommand(opts: SyncOptions): Promise<number> {
  const out = createOutput(!!opts.json);
  const app = await openContext(opts.config, { connectors: { ofCollections: opts.only } });
  try {
    const r = await syncAll(app, opts, out);
    out.done();
    if (out.json) {
      out.result({ dryRun: !!opts.dryRun, ...(r.run ? { run: r.run } : {}), collections: r.reports.map(reportJson), errors: r.errors, exitCode: r.exitCode });
    } else {
      printHuman(out, r, !!opts.dryRun);
    }
    return r.exitCode;
  } finally {
    await app.close();
  }
}

/** A collection's report as `sync --json` prints it: the lines, not the run's own bookkeeping. */
function reportJson(rep: CollectionReport) {
  const { name, changes, writes, quarantined, errors, recovered, skipped } = rep;
  return { name, changes, writes, quarantined, errors, recovered, skipped };
}

function printHuman(out: Output, r: SyncOutcome, dryRun: boolean): void {
  for (const rep of r.reports) {
    const verb = dryRun ? 'would' : '';
    const writes = rep.counts.writes;
    out.line(`${rep.name}: ${dryRun ? '(dry run) ' : ''}store ${CHANGE_ACTIONS.map((a) => `${rep.counts[a]} ${a}`).join(', ')}; ${writes} write${writes === 1 ? '' : 's'} to members${rep.quarantined ? `; ${rep.quarantined} quarantined` : ''}${rep.skipped.length ? `; ${rep.skipped.length} skipped (group cards a member's format holds only as labels)` : ''}`);
    if (dryRun) {
      for (const c of rep.changes) out.line(`  store: ${c.action.padEnd(8)} ${c.label} (${c.uid}) from ${c.member}${c.fields ? ` — ${c.fields.join(', ')}` : ''}`);
      for (const w of rep.writes) out.line(`  ${w.member}: ${verb} ${w.op} ${w.label}${w.href ? ` (${w.href})` : ''}`);
    }
    if (rep.recovered) out.line(`  finished ${rep.recovered} write(s) left by an interrupted run`);
  }
  if (r.errors.length > 0) {
    out.warn(`${r.errors.length} error${r.errors.length === 1 ? '' : 's'}:`);
    for (const e of r.errors) out.warn(`  ${e.collection}${e.member ? `/${e.member}` : ''}: ${e.where === '' || e.where === e.member || e.where === e.collection ? '' : `${e.where}: `}${e.message}`);
  }
}
