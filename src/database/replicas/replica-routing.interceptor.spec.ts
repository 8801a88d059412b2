import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { firstValueFrom, from } from 'rxjs';
import type { EntityManager } from 'typeorm';
import { replicaRead } from './replica-context';
import type { ReadReplicas } from './read-replicas.service';
import { ReplicaRoutingInterceptor } from './replica-routing.interceptor';

describe('ReplicaRoutingInterceptor', () => {
  const standbyManager = { name: 'standby' } as unknown as EntityManager;
  const failed: string[] = [];
  const replicas = {
    enabled: true,
    standbyFor: async () => ({ url: 'postgres://standby/db', manager: standbyManager }),
    failed: (url: string) => failed.push(url),
  } as unknown as ReadReplicas;
  const reflector = { get: () => true } as unknown as Reflector;
  const context = {
    getType: () => 'http',
    getHandler: () => () => undefined,
    switchToHttp: () => ({ getRequest: () => ({ method: 'GET', user: { kind: 'user', userId: 'u1' } }) }),
  } as unknown as ExecutionContext;

  it('re-runs a read whose standby went away on the primary, out of the standby scope', async () => {
    const reads: string[] = [];
    const next: CallHandler = {
      handle: () =>
        from(
          (async () => {
            const where = replicaRead.getStore() === standbyManager ? 'standby' : 'primary';
            reads.push(where);
            await new Promise((r) => setTimeout(r, 1));
            if (where === 'standby')
              throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
            return where;
          })(),
        ),
    };
    const answer = await firstValueFrom(
      new ReplicaRoutingInterceptor(replicas, reflector).intercept(context, next),
    );
    expect(answer).toBe('primary');
    expect(reads).toEqual(['standby', 'primary']);
    expect(failed).toEqual(['postgres://standby/db']);
  });

  it('passes an error of the read itself on, without retrying', async () => {
    let calls = 0;
    const next: CallHandler = {
      handle: () => {
        calls++;
        return from(Promise.reject(Object.assign(new Error('syntax error'), { code: '42601' })));
      },
    };
    await expect(
      firstValueFrom(new ReplicaRoutingInterceptor(replicas, reflector).intercept(context, next)),
    ).rejects.toThrow('syntax error');
    expect(calls).toBe(1);
  });
});
