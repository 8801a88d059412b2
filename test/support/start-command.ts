import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How `npm start` runs the server, read from package.json's `start` script (`[VAR=value …] node
 * [flags …] dist/src/main.js`): its environment assignments and node flags (the V8 heap settings,
 * README "Memory"). The specs and benchmarks that start the built server use it, so they run the
 * server as users start it, not as a bare `node main.js`; the Dockerfile's CMD repeats the same flags
 * (checked by test/platform/start-command.e2e-spec.ts).
 */
export function userStartCommand(): { env: Record<string, string>; nodeArgs: string[]; script: string } {
  const packageJson = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
  const command = String(packageJson.scripts.start);
  const words = command.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [key, ...value] = words.shift()!.split('=');
    env[key!] = value.join('=');
  }
  const script = words.at(-1) ?? '';
  if (words.shift() !== 'node' || !script.endsWith('main.js'))
    throw new Error(`package.json start is not "[VAR=value …] node [flags …] …main.js": ${command}`);
  return { env, nodeArgs: words.slice(0, -1), script };
}
