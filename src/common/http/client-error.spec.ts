import type { IncomingMessage } from 'node:http';
import { hostProblems, requestTargetProblems } from './client-error';

const request = (rawHeaders: string[], httpVersion = '1.1') =>
  ({ rawHeaders, httpVersion }) as unknown as IncomingMessage;

describe('hostProblems', () => {
  it.each([
    'localhost',
    'LOCALHOST.',
    'case-desk.example:8443',
    '127.0.0.1:3000',
    '[::1]:3000',
    '[::1]',
    '[fe80::1%25eth0]:3000',
    '',
  ])('takes Host %j', (host) => expect(hostProblems(request(['Host', host]))).toEqual([]));

  it.each([
    'a b',
    'caf\xe9.example',
    '[::1',
    'localhost:65536',
    'localhost:99999999999',
    'u:p@evil.example',
    'a/b',
  ])('refuses Host %j, naming Host', (host) =>
    expect(hostProblems(request(['Host', host])).map((p) => p.field)).toEqual(['Host']),
  );

  it('refuses Host given twice, even with one value, whatever its spelling', () => {
    expect(hostProblems(request(['Host', 'a', 'host', 'a']))).toHaveLength(1);
  });

  it('requires Host in HTTP/1.1 only', () => {
    expect(hostProblems(request([]))).toHaveLength(1);
    expect(hostProblems(request([], '1.0'))).toEqual([]);
  });
});

describe('requestTargetProblems', () => {
  const target = (url: string) => ({ url }) as unknown as IncomingMessage;

  it.each(['/api/v1/cases#limit=1', '/api/v1/cases?limit=1#x', '/api/v1/cases#', '/#'])(
    'refuses %j, naming the request target',
    (url) => expect(requestTargetProblems(target(url)).map((p) => p.field)).toEqual(['request-target']),
  );

  it.each(['/api/v1/cases', '/api/v1/cases?q=%23tag', '/api/v1/persons/%23'])('takes %j', (url) =>
    expect(requestTargetProblems(target(url))).toEqual([]),
  );
});
