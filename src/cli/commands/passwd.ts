import { UsageError } from '../errors.js';
import { createInterface } from 'node:readline';
import { hashPassword } from '../../config/passwords.js';

/** Reads a password from the terminal (not echoed) or from standard input. */
async function readPassword(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let data = '';
    for await (const chunk of input) data += chunk;
    return data.split(/\r?\n/)[0] ?? '';
  }
  const rl = createInterface({ input, output: process.stderr, terminal: true });
  const write = (rl as unknown as { _writeToOutput: (s: string) => void });
  process.stderr.write(prompt);
  write._writeToOutput = () => {};
  const answer = await new Promise<string>((res) => rl.question('', res));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

export async function passwdCommand(user: string): Promise<number> {
  if (!/^[A-Za-z0-9._@-]+$/.test(user)) throw new UsageError(`user name "${user}": letters, digits and . _ @ - only`);
  const password = await readPassword(`password for ${user}: `);
  if (password.length < 8) throw new UsageError('the password must have at least 8 characters');
  const hash = await hashPassword(password);
  process.stdout.write(`# under server.users in pimhub.yaml:\n${user}: { passwordHash: "${hash}" }\n`);
  return 0;
}
