import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * vdirsyncer as the bench runs it: one pair, a CardDAV storage as `a` (the server is the
 * truth: "from a", "a wins") and a filesystem storage as `b`, in a folder of its own.
 */
export interface VdirsyncerSetup {
  /** Where config, status/ and vdir/ live. */
  dir: string;
  /** `vdirsyncer -c config` (run with `cwd: dir`). */
  command: string;
  /** The folder vdirsyncer writes the cards to (one subfolder per collection). */
  vdir: string;
  /** Forgets status and files: the next `discover && sync` is a first download. */
  reset(): void;
}

export function vdirsyncerSetup(dir: string, remote: { url: string; username?: string; password?: string }): VdirsyncerSetup {
  mkdirSync(dir, { recursive: true });
  const vdir = join(dir, 'vdir');
  writeFileSync(join(dir, 'config'), [
    '[general]', `status_path = "${join(dir, 'status')}/"`, '',
    '[pair contacts]', 'a = "remote"', 'b = "local"', 'collections = ["from a"]', 'conflict_resolution = "a wins"', '',
    '[storage remote]', 'type = "carddav"', `url = "${remote.url}"`,
    ...(remote.username ? [`username = "${remote.username}"`] : []),
    ...(remote.password ? [`password = "${remote.password}"`] : []), '',
    '[storage local]', 'type = "filesystem"', `path = "${vdir}/"`, 'fileext = ".vcf"', '',
  ].join('\n'));
  return {
    dir,
    command: 'vdirsyncer -c config',
    vdir,
    reset() {
      rmSync(vdir, { recursive: true, force: true });
      mkdirSync(vdir, { recursive: true });
      rmSync(join(dir, 'status'), { recursive: true, force: true });
    },
  };
}

/** The shell command of a first download: discover (answering its questions) then sync. */
export const firstDownload = (v: VdirsyncerSetup) => `yes | ${v.command} discover > /dev/null && ${v.command} sync`;

/** Files named *`ext` under `dir`, recursively. */
export function countFiles(dir: string, ext: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce((n, d) =>
    n + (d.isDirectory() ? countFiles(join(dir, d.name), ext) : d.name.endsWith(ext) ? 1 : 0), 0);
}
