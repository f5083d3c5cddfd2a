import { spawn, type ChildProcess } from 'node:child_process';
import { childEnv } from './child-env.js';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `src/server.ts` as `npm start` would, on a free port; resolves once it listens. */
export async function startServer(env: NodeJS.ProcessEnv, t: { teardown(fn: () => unknown): void }): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import=tsx', 'src/server.ts'], {
    env: childEnv({ PORT: '0', LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 60_000);
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${out}\n${err}`)));
  });
  return { child, url, stdout: () => out, stderr: () => err, exited };
}
