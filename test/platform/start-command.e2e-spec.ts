import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userStartCommand } from '../support/start-command';

/**
 * The server's node flags (the V8 heap settings, README "Memory") are written twice: in package.json's
 * `start` (`npm start`, the embedded one-command start) and in the Dockerfile's CMD. They must agree,
 * or the image runs with another memory profile than the one measured.
 */
describe('How the server is started', () => {
  it('the Dockerfile runs node with the same flags and environment as npm start', () => {
    const start = userStartCommand();
    const dockerfile = readFileSync(join(__dirname, '../../Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd!)).toEqual(['node', ...start.nodeArgs, start.script]);
    for (const [key, value] of Object.entries(start.env))
      expect(dockerfile).toMatch(new RegExp(`^ENV ${key}=${value}$`, 'm'));
  });

  it('npm start runs the built server with an explicit V8 old-space limit', () => {
    const { nodeArgs, script } = userStartCommand();
    expect(script).toBe('dist/src/main.js');
    expect(nodeArgs).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/)]));
  });
});
