import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT, describeError } from './errors.js';

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Each command's module is imported when the command runs: `pimhub status` does not load
 * the endpoint (express), the DAV client or the codecs it never uses.
 */
function program(setExit: (code: number) => void, setCommand: (name: string) => void): Command {
  const p = new Command('pimhub')
    .version(version, '-V, --version', 'print the version')
    .description('PIM synchronization gateway: contacts, calendars, tasks and notes merged field by field')
    .option('-c, --config <file>', 'config file (default ./pimhub.yaml, or $PIMHUB_CONFIG)')
    .exitOverride()
    .showHelpAfterError()
    .hook('preAction', (_p, action) => setCommand(action.name()));
  const cfg = () => p.opts<{ config?: string }>().config;
  const run = (f: () => Promise<number>) => async () => setExit(await f());

  p.command('init').description('write a commented starter pimhub.yaml (or one made from a vdirsyncer config)').option('--force', 'overwrite an existing file')
    .option('--from-vdirsyncer [path]', 'convert a vdirsyncer config (default: where vdirsyncer looks, ~/.config/vdirsyncer/config)')
    .action((o) => run(async () => (await import('./commands/init.js')).initCommand({ config: cfg(), ...o }))());
  p.command('check').description('validate the config, reach every connector, list remote collections').option('--json', 'one JSON document on stdout')
    .action((o) => run(async () => (await import('./commands/check.js')).checkCommand({ config: cfg(), ...o }))());
  p.command('sync').description('one sync round over every collection (or the named ones)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--only <name...>', 'only these collections')
    .option('--allow-mass-delete', 'let this run delete more than deleteGuard of a collection')
    .option('--json', 'one JSON document on stdout')
    .action((o) => run(async () => (await import('./commands/sync.js')).syncCommand({ config: cfg(), ...o }))());
  p.command('status').description('per collection and member: last sync, counts, errors, quarantine').option('--json', 'one JSON document on stdout')
    .action((o) => run(async () => (await import('./commands/status.js')).statusCommand({ config: cfg(), ...o }))());
  p.command('log').description('the merge log, newest first')
    .option('--conflicts', 'only open conflicts').option('--all', 'with --conflicts: resolved ones too').option('--item <uid>', 'only this item').option('--since <iso>', 'only entries since')
    .option('--limit <n>', 'at most this many (default 50)').option('--collection <name>', 'only this collection').option('--json', 'one JSON document on stdout')
    .action((o) => run(async () => (await import('./commands/log.js')).logCommand({ config: cfg(), ...o }))());
  p.command('runs').description('the sync runs, newest first: id, start, end, trigger, what changed per collection')
    .option('--limit <n>', 'at most this many (default 20)').option('--json', 'one JSON document on stdout')
    .action((o) => run(async () => (await import('./commands/runs.js')).runsCommand({ config: cfg(), ...o }))());
  p.command('resolve').argument('<entry>', 'log entry number').description('reverse or change a conflict decision; the next sync propagates it')
    .requiredOption('--keep <value>', 'value index (0, 1, …) or connector name').option('--json', 'one JSON document on stdout')
    .action((entry, o) => run(async () => (await import('./commands/resolve.js')).resolveCommand(entry, { config: cfg(), ...o }))());
  p.command('duplicates').argument('[collection]').description('items that look like one person or one event, strongest first, with the evidence')
    .option('--min-score <score>', 'report pairs scoring at least this (0–1, default 0.5)').option('--json', 'one JSON document on stdout')
    .option('--dismiss <items...>', 'item ids or UIDs that are not duplicates of each other: never report them together again')
    .action((col, o) => run(async () => (await import('./commands/duplicates.js')).duplicatesCommand(col, { config: cfg(), ...o }))());
  p.command('merge').argument('<items...>', 'item ids or UIDs of one collection; the first one survives')
    .description('merge duplicates into one item, field by field; the next sync removes the redundant copies')
    .option('--dry-run', 'print what would be merged and change nothing').option('--collection <name>', 'where to look the UIDs up')
    .option('--allow-mass-delete', 'let the merge remove more than deleteGuard of the collection').option('--json', 'one JSON document on stdout')
    .action((items, o) => run(async () => (await import('./commands/merge.js')).mergeCommand(items, { config: cfg(), ...o }))());
  p.command('undo').description('reverse a sync run or one logged decision in the store; the next sync writes it everywhere')
    .option('--run <id>', 'a run id (`pimhub runs`)').option('--entry <id>', 'a log entry number (`pimhub log`)')
    .option('--dry-run', 'print what would change and change nothing')
    .option('--allow-mass-delete', 'let the undo remove more than deleteGuard of a collection').option('--json', 'one JSON document on stdout')
    .action((o) => run(async () => (await import('./commands/undo.js')).undoCommand({ config: cfg(), ...o }))());
  p.command('export').argument('<collection>').description('write a file a phone or mail client can import')
    .requiredOption('--format <format>', 'vcf | vcf21 | vcf4 | jcard | xcard | ics | google-csv | outlook-csv').requiredOption('-o, --output <file>', 'file to write')
    .option('--json', 'one JSON document on stdout')
    .action((col, o) => run(async () => (await import('./commands/export.js')).exportCommand(col, { config: cfg(), ...o }))());
  p.command('serve').description('the CardDAV/CalDAV endpoint for the users in server.users')
    .action(() => run(async () => (await import('./commands/serve.js')).serveCommand({ config: cfg() }))());
  p.command('daemon').description('the endpoint and review page, plus scheduled syncs and a sync soon after each change through them')
    .option('--debounce <seconds>', 'quiet time after a change through the endpoint before its sync starts (default 2)')
    .option('--no-initial-sync', 'do not sync at start (the schedule and writes still do)')
    .option('--log-level <level>', 'fatal | error | warn | info | debug | trace (default info, or $PIMHUB_LOG_LEVEL)')
    .option('--login-hint <text>', 'a line printed with the URLs (npm start names the demo login)')
    .action((o) => run(async () => (await import('./commands/daemon.js')).daemonCommand({ config: cfg(), ...o }))());
  p.command('migrate').description('copy the whole store into another, empty one (sqlite: ⇄ mongodb://); point store: at it afterwards')
    .requiredOption('--to <url>', 'the target store URL (sqlite:PATH or mongodb://HOST/DB?replicaSet=NAME)').option('--json', 'one JSON document on stdout')
    .action((o) => run(async () => (await import('./commands/migrate.js')).migrateCommand({ config: cfg(), ...o }))());
  p.command('passwd').argument('<user>').description('print a password hash for the config')
    .action((user) => run(async () => (await import('./commands/passwd.js')).passwdCommand(user))());
  return p;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  let command: string | undefined;
  try {
    await program((c) => (code = c), (name) => (command = name)).parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const d = describeError(e, command);
    process.stderr.write(`pimhub: ${d.message}\n`);
    return d.exitCode;
  }
  return code;
}

// A reader that stops early (`pimhub log | head`) closes the pipe: what is left unprinted is
// not wanted, so that is no error and the command's work (a sync) goes on to its end.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
