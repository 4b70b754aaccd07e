/**
 * Named crash points for the crash suite (docs/reliability.md lists them). When the
 * environment variable PIMHUB_KILL_AT names a point — `name`, or `name:N` for the N-th time
 * the process passes it — the process sends itself SIGKILL there: no `finally`, no exit
 * handler, no flush, as an OOM kill or a power cut would leave things. Unset, a call costs
 * one comparison. Read once at load: a process cannot re-arm itself.
 */
const armed = parse(process.env.PIMHUB_KILL_AT);
let passes = 0;

function parse(spec: string | undefined): { name: string; at: number } | undefined {
  if (!spec) return undefined;
  const m = /^(.*?)(?::(\d+))?$/.exec(spec.trim())!;
  return { name: m[1]!, at: Math.max(1, Number(m[2] ?? 1)) };
}

export function killPoint(name: string): void {
  if (armed === undefined || armed.name !== name) return;
  passes += 1;
  if (passes < armed.at) return;
  process.kill(process.pid, 'SIGKILL');
  // A signal a process sends itself is delivered before kill() returns (POSIX); should it
  // not be, nothing after this point may run.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}
