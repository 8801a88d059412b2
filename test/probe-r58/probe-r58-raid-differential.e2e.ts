import { signIn, type SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r58: one raid on a compound arrests many nationalities at once. Raid A holds three Korean
 * nationals (one also Malaysian) among persons of MY, TH, CN, VN and ID; raid B, the control, holds
 * the same three Koreans alone. KH sends KR a repatriation request for the three of each raid and
 * walks both alike (schedule, a handover confirmed, a person dropped); for raid A it also sends MY one
 * for the Malaysians. What KR and TH (and MY, of the Koreans' side) read of A must be what
 * they read of B.
 */
const OTHERS: Array<[string, string]> = [
  ['MY', 'TAN'],
  ['MY', 'LIM'],
  ['MY', 'WONG'],
  ['TH', 'SOMCHAI'],
  ['TH', 'NIRAN'],
  ['TH', 'KASEM'],
  ['CN', 'WANG'],
  ['CN', 'LI'],
  ['CN', 'ZHANG'],
  ['VN', 'NGUYEN'],
  ['VN', 'TRAN'],
  ['ID', 'SANTOSO'],
  ['ID', 'WIJAYA'],
];

describe('Probe r58: a raid of many nationalities, read by each country', () => {
  let t: TestApp;
  let tf: TaskForce;
  let th: Record<string, SignedIn>;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    th = {
      'th.officer': await signIn(t.server, 'th.officer'),
      'th.liaison': await signIn(t.server, 'th.liaison'),
      'th.auditor': await signIn(t.server, 'th.auditor'),
    };
  }, 120_000);
  afterAll(() => t?.close());

  const row = (label: string, nationality: string, family: string, n: number, extra: string[] = []) => ({
    arrestedAt: '2026-03-10T01:00:00Z',
    place: 'Golden Fortune compound, Sihanoukville',
    grounds: 'Online fraud',
    arrestingAgency: 'GDNP',
    nationality,
    person: {
      names: [{ full: `${family} ${label}${n}`, script: 'latin', kind: 'primary' }],
      nationalities: [nationality, ...extra],
      documents: [
        { type: 'passport', number: `${label}${nationality}${n}0058`, issuingCountry: nationality },
      ],
    },
  });

  async function raid(label: string, withOthers: boolean) {
    const rows = [
      row(label, 'KR', 'KIM', 1),
      row(label, 'KR', 'PARK', 2, ['MY']),
      row(label, 'KR', 'LEE', 3),
      ...(withOthers ? OTHERS.map(([c, f], i) => row(label, c, f, i + 10)) : []),
    ];
    const res = await tf['kh.officer'].post('/arrests/batch', { arrests: rows }).expect(201);
    const result = res.body as {
      raidId: string;
      rows: Array<{ arrestId: string; personId: string; nationality: string }>;
    };
    const kr = result.rows.filter((r) => r.nationality === 'KR');
    const fw = (await tf.frameworkBetween('KH', 'KR'))!;
    const draft = (
      await tf['kh.officer']
        .post('/repatriation-requests', {
          frameworkId: fw,
          targetCountry: 'KR',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: `Return of three Koreans ${label}`,
          arrestIds: kr.map((r) => r.arrestId),
        })
        .expect(201)
    ).body;
    const sub = (
      await tf['kh.officer']
        .post(`/repatriation-requests/${draft.id}/submit`, { version: draft.version })
        .expect(200)
    ).body;
    const sent = (
      await tf['kh.liaison']
        .post(`/repatriation-requests/${draft.id}/approve`, { version: sub.version })
        .expect(200)
    ).body;
    let v = (
      await tf['kr.liaison']
        .post(`/repatriation-requests/${draft.id}/accept`, { version: sent.version })
        .expect(200)
    ).body.version;
    v = (
      await tf['kr.officer']
        .post(`/repatriation-requests/${draft.id}/schedule`, {
          version: v,
          departureAt: '2026-12-01T01:00:00Z',
          departurePoint: 'PNH',
          arrivalPoint: 'ICN',
          carrier: 'KE',
          sendingEscorts: ['Sok'],
          receivingEscorts: ['Kim'],
        })
        .expect(200)
    ).body.version;
    v = (
      await tf['kh.officer']
        .post(`/repatriation-requests/${draft.id}/handover`, {
          version: v,
          handovers: [
            {
              arrestId: kr[0]!.arrestId,
              handedOverBy: 'Sok',
              receivedBy: 'Kim',
              handedOverAt: '2026-03-20T01:00:00Z',
              place: 'PNH',
            },
          ],
        })
        .expect(200)
    ).body.version;
    v = (
      await tf['kr.liaison']
        .post(`/repatriation-requests/${draft.id}/confirm-handover`, {
          version: v,
          arrestIds: [kr[0]!.arrestId],
        })
        .expect(200)
    ).body.version;
    await tf['kh.officer']
      .post(`/repatriation-requests/${draft.id}/drop`, {
        version: v,
        arrestId: kr[2]!.arrestId,
        reason: 'charged_locally',
      })
      .expect(200);
    if (withOthers) {
      const my = result.rows.filter((r) => r.nationality === 'MY');
      const fwMy = (await tf.frameworkBetween('KH', 'MY'))!;
      const d = (
        await tf['kh.officer']
          .post('/repatriation-requests', {
            frameworkId: fwMy,
            targetCountry: 'MY',
            priority: 'urgent',
            handlingCode: 'AMBER',
            subject: `Return of Malaysians ${label}`,
            arrestIds: my.map((r) => r.arrestId),
          })
          .expect(201)
      ).body;
      const s = (
        await tf['kh.officer']
          .post(`/repatriation-requests/${d.id}/submit`, { version: d.version })
          .expect(200)
      ).body;
      await tf['kh.liaison']
        .post(`/repatriation-requests/${d.id}/approve`, { version: s.version })
        .expect(200);
    }
    return { raidId: result.raidId, request: draft.id as string, rows: result.rows, kr };
  }

  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
  const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;
  const MASKED = [
    'nextCursor',
    'requestId',
    'seal',
    'hash',
    'occurredAt',
    'reference',
    'draftId',
    'instance',
  ];
  /**
   * An answer as comparable text: ids, times, references and seals masked, the raid's label taken out,
   * and every list (`items`, a request's `persons`) sorted, since two raids' rows tie on time and are
   * ordered by random ids.
   */
  function clean(body: unknown, label: string): string {
    const masked = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value, (k, v) =>
          MASKED.includes(k) || (typeof v === 'string' && v.startsWith('evt_')) ? '<x>' : v,
        )
          .replace(UUID, '<id>')
          .replace(TIME, '<t>')
          .split(label)
          .join('<L>'),
      );
    const sorted = (value: unknown): unknown => {
      if (Array.isArray(value))
        return value.map(sorted).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
      if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sorted(v)]));
      return value;
    };
    return JSON.stringify(sorted(masked(body)));
  }

  async function reading(
    who: SignedIn,
    r: Awaited<ReturnType<typeof raid>>,
    label: string,
    hidden: string[],
    hiddenIds: string[],
    leaks: string[],
  ) {
    const out: Record<string, string> = {};
    const read = async (key: string, path: string) => {
      const res = await who.get(path);
      const text = JSON.stringify(res.body);
      for (const h of hiddenIds) if (text.includes(h)) leaks.push(`${key} names hidden ${h}`);
      if (!key.startsWith('search') && key !== 'persons search')
        out[key] = `${res.status} ${clean(res.body, label)}`;
    };
    await read('raid', `/arrests?raidId=${r.raidId}&limit=200`);
    for (const n of ['KR', 'MY', 'TH', 'CN', 'VN', 'ID'])
      await read(`raid ${n}`, `/arrests?raidId=${r.raidId}&nationality=${n}&limit=200`);
    await read('raid KH', `/arrests?raidId=${r.raidId}&arrestingCountry=KH&limit=200`);
    // A page of one: which of the Koreans it shows depends on random ids; how many pages there are does not.
    const first = await who.get(`/arrests?raidId=${r.raidId}&limit=1`);
    out['raid limit1'] = `${first.status} ${first.body.items?.length} ${first.body.nextCursor !== null}`;
    await read('dates', `/arrests?raidId=${r.raidId}&custodyStatus=detained`);
    for (const [i, a] of r.kr.entries()) {
      await read(`arrest ${i}`, `/arrests/${a.arrestId}`);
      await read(`custody ${i}`, `/arrests/${a.arrestId}/custody`);
      await read(`person ${i}`, `/persons/${a.personId}`);
      await read(
        `arrest tl ${i}`,
        `/audit-events/timeline?recordType=arrest&recordId=${a.arrestId}&limit=200`,
      );
      await read(
        `person tl ${i}`,
        `/audit-events/timeline?recordType=person&recordId=${a.personId}&limit=200`,
      );
      await read(`attachments ${i}`, `/arrests/${a.arrestId}/attachments`);
    }
    await read('request', `/repatriation-requests/${r.request}`);
    await read('history', `/repatriation-requests/${r.request}/history`);
    await read('schedules', `/repatriation-requests/${r.request}/schedules`);
    await read('messages', `/repatriation-requests/${r.request}/messages`);
    await read('request tl', `/audit-events/timeline?recordType=request&recordId=${r.request}&limit=200`);
    await read('req list', `/repatriation-requests?q=${label}`);
    await read('persons search', `/persons?name=${label}`);
    for (const [i, h] of hidden.entries())
      await read(`seen-in ${i}`, `/identifiers/seen-in?kind=passport&value=${h}`);
    for (const [i, [, f]] of OTHERS.entries())
      await read(`search ${f}`, `/persons?name=${f}%20${label}${i + 10}`);
    const notes = (await who.get('/notifications?limit=200')).body as { items?: Array<{ recordId: string }> };
    const ids = new Set([r.request, ...r.rows.map((x) => x.arrestId), ...r.rows.map((x) => x.personId)]);
    out.notifications = clean(
      (notes.items ?? []).filter((n) => ids.has(n.recordId)),
      label,
    );
    return out;
  }

  it('KR, MY and TH read of raid A what they read of raid B', async () => {
    const a = await raid('RAIDA', true);
    const b = await raid('RAIDB', false);
    const hiddenA = OTHERS.map(([c], i) => `RAIDA${c}${i + 10}0058`);
    const hiddenB = OTHERS.map(([c], i) => `RAIDB${c}${i + 10}0058`);
    const diffs: string[] = [];
    const readers: Array<[string, SignedIn]> = [
      ['kr.officer', tf['kr.officer']],
      ['kr.liaison', tf['kr.liaison']],
      ['kr.auditor', tf['kr.auditor']],
      ['my.officer', tf['my.officer']],
      ['my.auditor', tf['my.auditor']],
      ...Object.entries(th),
    ];
    for (const [name, who] of readers) {
      const mine = name.slice(0, 2).toUpperCase();
      const hiddenIds = a.rows
        .filter((x) => x.nationality !== 'KR' && x.nationality !== mine)
        .flatMap((x) => [x.arrestId, x.personId]);
      const leaks: string[] = [];
      const ra = await reading(who, a, 'RAIDA', hiddenA, hiddenIds, leaks);
      const rb = await reading(who, b, 'RAIDB', hiddenB, [], leaks);
      diffs.push(...leaks.map((l) => `${name} ${l}`));
      for (const k of Object.keys(ra))
        if (ra[k] !== rb[k] && !name.startsWith('my.'))
          diffs.push(`${name} ${k}:\n  A ${ra[k]}\n  B ${rb[k]}`);
    }
    expect(diffs).toEqual([]);
  });
});
