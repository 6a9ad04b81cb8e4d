import { spawn } from 'node:child_process';

/**
 * Runs a command and resolves with its standard output; a non-zero exit throws with the end of
 * its standard error. A missing command throws saying which Debian package brings it.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; debianPackage?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const install = options.debianPackage ?? command;
      reject(
        error.code === 'ENOENT'
          ? new Error(`${command} is not on PATH: apt-get install ${install} (.ci/run does)`, {
              cause: error,
            })
          : error,
      );
    });
    child.once('close', (status) => {
      if (status === 0) resolve(stdout);
      else
        reject(
          new Error(`${command} ${args.join(' ')} exited ${status}: ${stderr.trim().slice(-4000)}`),
        );
    });
  });
}
