import type { DataSource } from 'typeorm';
import type { Clock } from '../common/time/clock';
import { AUTH_LIMITS } from './auth-settings';
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
  let hearing = true;
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
  let dropAll: (() => void) | undefined;
  const invalidations = {
    subscribe: (drop: (i: Invalidation) => void, all: () => void) => {
      heard = drop;
      dropAll = all;
    },
    publish: async () => undefined,
    get hearing() {
      return hearing;
    },
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
    /** The LISTEN connection is lost (what UserCacheInvalidations does then), or back. */
    loseListener: () => {
      hearing = false;
      dropAll!();
    },
    listenAgain: () => {
      hearing = true;
      dropAll!();
    },
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

describe('CurrentUserCache while its LISTEN connection is down', () => {
  it('keeps no copy: a change made on another instance, which does not wait for this one, is read at the next request', async () => {
    const db = cacheOverControlledDatabase();
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toMatchObject({ userId: USER });
    db.loseListener();
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toMatchObject({ userId: USER });
    // Disabled on another instance: nothing is heard here, and nobody waited for this instance.
    db.set('disabled');
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toBeNull();
  });

  it('does not keep a read the loss overtook, and caches again once listening', async () => {
    const db = cacheOverControlledDatabase();
    db.hold();
    const inFlight = db.cache.actorFor(USER, SESSION, ISSUED);
    await tick();
    db.loseListener();
    db.release();
    await inFlight;
    db.set('disabled');
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toBeNull();

    db.set('active');
    db.listenAgain();
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toMatchObject({ userId: USER });
    db.set('disabled');
    // Listening again: kept for the cache's lifetime, as before the loss (a change is heard).
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toMatchObject({ userId: USER });
  });
});

describe('CurrentUserCache: a copy is as old as the read that made it', () => {
  it('a read that waited longer than the cache lifetime is read again at the next request, invalidation heard or not', async () => {
    const db = cacheOverControlledDatabase();
    let now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    db.hold();
    const waited = db.cache.actorFor(USER, SESSION, ISSUED);
    await tick();
    // The read waits (a busy pool) past the cache's lifetime; meanwhile the user is disabled on another
    // instance, whose invalidation this one never hears (a LISTEN connection dead without a word).
    now += AUTH_LIMITS.userCacheMs + 1;
    db.release();
    expect(await waited).toMatchObject({ userId: USER });
    db.set('disabled');
    expect(await db.cache.actorFor(USER, SESSION, ISSUED)).toBeNull();
  });
});
