import { hasDiscovery } from '../../core/connector.js';
import { isPimError, messageOf } from '../../core/errors.js';
import type { AppContext } from '../context.js';

export interface EntryReport {
  collection: string;
  member: string;
  ok: boolean;
  entries?: number;
  /** Entries that could not be read, or the one error that made the whole source unreadable. */
  problems: Array<{ where: string; message: string }>;
}

/**
 * Reads every entry of the local members (folders and single files; remote accounts are only
 * reached, not downloaded) the way a sync would, so a broken export is found before a sync:
 * a whole file that cannot be read, and each entry that would be quarantined.
 */
export async function checkLocalEntries(app: AppContext): Promise<EntryReport[]> {
  const reports: EntryReport[] = [];
  for (const [name, col] of Object.entries(app.config.collections)) {
    for (const m of col.members) {
      const connector = await app.connector(m.connector);
      if (hasDiscovery(connector)) continue;
      const report: EntryReport = { collection: name, member: m.name, ok: true, problems: [] };
      try {
        const source = await connector.source(col.kind, m.remote);
        const listed = await source.list();
        const read = await source.get(listed.map((e) => e.href));
        report.entries = read.items.length + read.problems.length;
        report.problems = read.problems.map((p) => ({ where: p.where, message: p.message }));
      } catch (e) {
        report.problems = [{ where: isPimError(e) && e.where ? e.where : m.name, message: messageOf(e) }];
      }
      report.ok = report.problems.length === 0;
      reports.push(report);
    }
  }
  return reports;
}
