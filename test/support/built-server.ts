import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { userStartCommand } from './start-command';
import { serverPort } from './ports';

/**
 * The built server (`node [npm start's flags] dist/src/main.js`, as production runs it; `npm test`
 * builds first) as a process of its own, for specs about several instances on one database. Its
 * environment is exactly `env` plus PATH (and npm start's own assignments, if any), so nothing of the
 * test process leaks in.
 */
const MAIN = join(__dirname, '../../dist/src/main.js');

export interface BuiltServer {
  name: string;
  process: ChildProcess;
  port: number;
  url: string;
  output: () => string;
}

export function startBuiltServer(name: string, env: NodeJS.ProcessEnv): BuiltServer {
  const port = serverPort();
  const start = userStartCommand();
  const child = spawn(process.execPath, [...start.nodeArgs, MAIN], {
    env: { ...start.env, PATH: process.env.PATH, HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { name, process: child, port, url: `http://127.0.0.1:${port}`, output: () => output };
}

export async function waitUntilReady(server: BuiltServer, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) throw new Error(`${server.name} exited early:\n${server.output()}`);
    const ok = await fetch(`${server.url}/api/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${server.name} not ready in time:\n${server.output()}`);
}

/** A graceful stop (in-flight requests and job workers finish), forced after 15 s so a stuck one cannot hang the suite. */
export async function stopBuiltServer(server: BuiltServer): Promise<void> {
  const child = server.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(forced);
}
