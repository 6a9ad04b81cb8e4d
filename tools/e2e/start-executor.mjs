// The built executor as `pnpm start` runs it, on a free loopback port, for the scripts here.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const serverEntry = join(root, 'services/executor/dist/server.js');
const listenLine = /executor listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts the executor with `env` on top of a loopback host, a free port and `exportDirectory`.
 * `url` resolves with the address it logs, or rejects if it exits or is silent for 15 s.
 */
export function startExecutor(exportDirectory, env = {}) {
  const child = spawn(process.execPath, [serverEntry], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      EXPORT_DIR: exportDirectory,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listen line in:\n${output}`)), 15_000);
    let listening = false;
    const onData = (chunk) => {
      output += chunk;
      const match = listening ? null : listenLine.exec(output);
      if (match) {
        listening = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the executor exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, url, exited, output: () => output };
}
