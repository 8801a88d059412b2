import type { DataSource } from 'typeorm';
import type { Clock } from '../common/time/clock';
import { CurrentUserCache } from './current-user.cache';
import type { SessionsService } from './sessions.service';
import type { Invalidation, UserCacheInvalidations } from './user-cache-invalidations';

const USER = '11111111-1111-4111-8111-111111111111';
const SESSION = '22222222-2222-4222-8222-222222222222';
const ISSUED = new Date(Date.now() - 1000);

/**
 * The user cache of one instance over a database the spec controls: `status` is what the next read of
 * the user finds; `hold()` makes the next read wait until the spec lets it answer, with what the row
 * held when the read ran.
 */
function cacheOverControlledDatabase() {
  let status: 'active' | 'disabled' = 'active';
  let held: Array<() => void> | null = null;
  let heard: ((i: Invalidation) => void) | undefined;
  const row = () => ({
    id: USER,
    username: 'kr.officer',
    agencyId: null,
    countryCode: 'KR',
    roles: ['officer'],
    status,
    passwordChangedAt: new Date(0),
  });
  const dataSource = {
    getRepository: () => ({
      findOneBy: async () => {
        const read = row();
        if (held) await new Promise<void>((resolve) => held!.push(resolve));
        return read;
      },
    }),
  } as unknown as DataSource;
  const sessions = {
    activeSessionStart: async () => new Date(Date.now() - 60_000),
    sessionEnded: () => false,
  } as unknown as SessionsService;
  const clock = { now: () => new Date() } as Clock;
  const invalidations = {
    subscribe: (drop: (i: Invalidation) => void) => (heard = drop),
    publish: async () => undefined,
  } as unknown as UserCacheInvalidations;
  const cache = new CurrentUserCache(dataSource, sessions, clock, invalidations);
  return {
    cache,
    set: (s: typeof status) => (status = s),
    hold: () => (held = []),
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const resolve of waiting) resolve();
    },
    /** Another instance's change, heard through LISTEN after it committed. */
    hear: (i: Invalidation) => heard!(i),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CurrentUserCache: a drop is never outlived by a read from before it', () => {
  it('does not keep a read that was under way when the user was dropped (disabled by another instance)', async () => {
    const db = cacheOverControlledDatabase();
    db.hold();
    // A request of the user reads the user while it is still active…
    const inFlight = db.cache.actorFor(USER, SESSION, ISSUED);
    await tick();
    // …the admin disables it on another instance, which commits and is heard here (and acknowledged)…
    db.set('disabled');
    db.hear({ kind: 'user', id: USER });
    // …and only then does the read's answer arrive.
    db.release();
    await inFlight;
    // The disable has answered: the user's next request is refused.
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toBeNull();
  });

  it('reads again instead, so even the request under way sees the change', async () => {
    const db = cacheOverControlledDatabase();
    db.hold();
    const inFlight = db.cache.actorFor(USER, SESSION, ISSUED);
    await tick();
    db.set('disabled');
    db.hear({ kind: 'session', id: SESSION });
    db.release();
    expect(await inFlight).toBeNull();
  });

  it('keeps a read no drop overtook, for the cache’s lifetime', async () => {
    const db = cacheOverControlledDatabase();
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toMatchObject({ userId: USER });
    db.set('disabled');
    // Not told: served from memory (at most two seconds).
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toMatchObject({ userId: USER });
    db.hear({ kind: 'user', id: USER });
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toBeNull();
  });
});
