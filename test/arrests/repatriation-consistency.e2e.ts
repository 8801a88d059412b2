import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import type { SignedIn } from '../support/http';

describe('Repatriation consistency: one open request per person, custody, two-sided handover', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const base = '/repatriation-requests';
  const act = (who: SignedIn, id: string, action: string, version: number, extra: object = {}) =>
    who.post(`${base}/${id}/${action}`, { version, ...extra });

  async function arrestKorean(name: string): Promise<{ id: string; version: number; personId: string }> {
    const res = await tf['kh.officer']
      .post('/arrests', {
        arrestedAt: '2026-03-01T02:30:00Z',
        place: 'Golden Fortune compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Cambodian National Police',
        nationality: 'KR',
        person: { names: [{ full: name, script: 'hangul', kind: 'primary' }] },
      })
      .expect(201);
    return { id: res.body.id, version: res.body.version, personId: res.body.person.id };
  }

  const draftFor = (who: SignedIn, arrestIds: string[]) =>
    who.post(base, {
      frameworkId: tf.cambodiaKoreaFramework,
      targetCountry: 'KR',
      priority: 'routine',
      handlingCode: 'AMBER',
      subject: 'Repatriation',
      arrestIds,
    });

  /** A request for these arrests, driven to `accepted`. */
  async function accepted(arrestIds: string[]) {
    const d = (await draftFor(tf['kh.officer'], arrestIds).expect(201)).body;
    const s = (await act(tf['kh.officer'], d.id, 'submit', d.version).expect(200)).body;
    const a = (await act(tf['kh.liaison'], d.id, 'approve', s.version).expect(200)).body;
    const r = (await act(tf['kr.liaison'], d.id, 'accept', a.version).expect(200)).body;
    return { id: d.id as string, version: r.version as number };
  }

  const handoverOf = (arrestId: string) => ({
    arrestId,
    handedOverBy: 'Lt. Sok Dara',
    receivedBy: 'Insp. Park Ji-hoon',
    handedOverAt: '2026-03-21T05:00:00Z',
    place: 'Phnom Penh International Airport',
  });

  it('two concurrent requests for the same person: one succeeds, the other gets 409', async () => {
    const arrest = await arrestKorean('박서준');
    const results = await Promise.all([
      draftFor(tf['kh.officer'], [arrest.id]),
      draftFor(tf['kh.officer2'], [arrest.id]),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const refused = results.find((r) => r.status === 409)!;
    expect(refused.body.detail).toMatch(/already on another open repatriation request/);
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM repatriation_person WHERE person_id = $1`,
      [arrest.personId],
    );
    expect(rows[0].n).toBe(1);

    // Later (not concurrently), the answer names the request that holds the person.
    const created = results.find((r) => r.status === 201)!.body;
    const later = await draftFor(tf['kh.officer'], [arrest.id]).expect(409);
    // Still a draft, so named by its draft id.
    expect(created.reference).toBeNull();
    expect(later.body.detail).toContain(created.draftId);
    // Once that request is withdrawn, the person is free for a new one.
    await act(tf['kh.officer'], created.id, 'withdraw', created.version).expect(200);
    await draftFor(tf['kh.officer'], [arrest.id]).expect(201);
  });

  it('many concurrent requests over overlapping persons never put one person on two open requests', async () => {
    const arrests = await Promise.all(['가', '나', '다', '라'].map((n) => arrestKorean(`${n}민수`)));
    const sets = [
      [arrests[0]!.id, arrests[1]!.id],
      [arrests[1]!.id, arrests[2]!.id],
      [arrests[2]!.id, arrests[3]!.id],
      [arrests[3]!.id, arrests[0]!.id],
      [arrests[0]!.id],
      [arrests[2]!.id],
    ];
    const results = await Promise.all(
      sets.map((ids, i) => draftFor(tf[i % 2 ? 'kh.officer2' : 'kh.officer'], ids)),
    );
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(results.some((r) => r.status === 201)).toBe(true);
    const twice = await t.dataSource.query(
      `SELECT person_id FROM repatriation_person WHERE open GROUP BY person_id HAVING count(*) > 1`,
    );
    expect(twice).toEqual([]);
  });

  it('a person released from custody cannot be handed over; dropped with a reason, the request can be fulfilled', async () => {
    const [kept, freed] = [await arrestKorean('김지호'), await arrestKorean('이하은')];
    const r = await accepted([kept.id, freed.id]);
    const released = await tf['kh.officer']
      .post(`/arrests/${freed.id}/custody`, {
        status: 'released',
        reason: 'Court-ordered release',
        version: freed.version,
      })
      .expect(200);
    expect(released.body.custodyStatus).toBe('released');
    const refused = await act(tf['kh.officer'], r.id, 'handover', r.version, {
      handovers: [handoverOf(kept.id), handoverOf(freed.id)],
    }).expect(409);
    expect(refused.body.detail).toMatch(/released, not in custody/);
    // Nothing of the refused step stuck.
    const unchanged = (await tf['kh.officer'].get(`${base}/${r.id}`).expect(200)).body;
    expect(unchanged.version).toBe(r.version);
    expect(unchanged.counts).toMatchObject({ pending: 2, awaitingConfirmation: 0 });

    const dropped = await act(tf['kh.officer'], r.id, 'drop', r.version, {
      arrestId: freed.id,
      reason: 'released',
      note: 'Released by the Phnom Penh court',
    }).expect(200);
    await act(tf['kr.officer'], r.id, 'drop', dropped.body.version, {
      arrestId: kept.id,
      reason: 'released',
    }).expect(403);
    const recorded = await act(tf['kh.officer'], r.id, 'handover', dropped.body.version, {
      handovers: [handoverOf(kept.id)],
    }).expect(200);
    // One-sided: not complete, custody unchanged, fulfil refused.
    expect(recorded.body.counts).toEqual({
      requested: 2,
      pending: 0,
      awaitingConfirmation: 1,
      handedOver: 0,
      dropped: 1,
    });
    const handedOver = (await tf['kh.officer'].get(`/arrests/${kept.id}`).expect(200)).body;
    expect(handedOver.custodyStatus).toBe('detained');
    // Handed over, the person is no longer the sending side's to release: the handover stays confirmable.
    const release = await tf['kh.officer'].post(`/arrests/${kept.id}/custody`, {
      status: 'released',
      reason: 'Released after the handover',
      version: handedOver.version,
    });
    expect({ status: release.status, detail: release.body.detail }).toEqual({
      status: 409,
      detail: expect.stringMatching(/awaits the receiving side’s confirmation/),
    });
    expect((await tf['kh.officer'].get(`/arrests/${kept.id}`).expect(200)).body.version).toBe(
      handedOver.version,
    );
    const early = await act(tf['kr.liaison'], r.id, 'fulfil', recorded.body.version).expect(409);
    expect(early.body.detail).toMatch(/1 person\(s\) are neither handed over/);

    const confirmed = await act(tf['kr.liaison'], r.id, 'confirm-handover', recorded.body.version, {
      arrestIds: [kept.id],
    }).expect(200);
    expect(confirmed.body.counts).toMatchObject({ handedOver: 1, dropped: 1 });
    const historyBefore = (await tf['kr.liaison'].get(`${base}/${r.id}/history`).expect(200)).body.length;
    const custodyBefore = (await tf['kh.officer'].get(`/arrests/${kept.id}/custody`).expect(200)).body.length;
    // The receiving side confirming twice changes nothing more (even with a stale version).
    for (const version of [confirmed.body.version, recorded.body.version]) {
      const again = await act(tf['kr.liaison'], r.id, 'confirm-handover', version, {
        arrestIds: [kept.id],
      }).expect(200);
      expect(again.body.version).toBe(confirmed.body.version);
      expect(again.body.persons).toEqual(confirmed.body.persons);
    }
    expect((await tf['kr.liaison'].get(`${base}/${r.id}/history`).expect(200)).body).toHaveLength(
      historyBefore,
    );
    expect((await tf['kh.officer'].get(`/arrests/${kept.id}/custody`).expect(200)).body).toHaveLength(
      custodyBefore,
    );

    const fulfilled = await act(tf['kr.liaison'], r.id, 'fulfil', confirmed.body.version).expect(200);
    expect(fulfilled.body).toMatchObject({
      status: 'fulfilled',
      counts: { requested: 2, handedOver: 1, dropped: 1 },
    });
    expect(
      fulfilled.body.persons.find((p: { arrestId: string }) => p.arrestId === freed.id).drop,
    ).toMatchObject({
      reason: 'released',
      note: 'Released by the Phnom Penh court',
    });
    // A fulfilled request no longer holds its persons; a repatriated or released one cannot be requested again.
    expect((await draftFor(tf['kh.officer'], [kept.id]).expect(400)).body.errors[0].message).toMatch(
      /repatriated/,
    );
  });

  it('the home country asks for a fugitive held abroad: the holder (target) hands over, the home country confirms', async () => {
    const held = await arrestKorean('정우성');
    // KR can ask only about an arrest it can see: KH shares it first.
    await tf['kh.liaison'].post(`/arrests/${held.id}/shares`, { countryCode: 'KR' }).expect(200);
    const d = (await draftFor(tf['kr.officer'], [held.id]).expect(400)).body;
    expect(d.errors).toEqual([{ field: 'targetCountry', message: 'targetCountry must be another country' }]);
    const draft = (
      await tf['kr.officer']
        .post(base, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Surrender of a fugitive wanted in Seoul',
          arrestIds: [held.id],
        })
        .expect(201)
    ).body;
    expect(draft).toMatchObject({ sendingCountry: 'KH', receivingCountry: 'KR', direction: 'outbound' });
    const s = (await act(tf['kr.officer'], draft.id, 'submit', draft.version).expect(200)).body;
    const a = (await act(tf['kr.liaison'], draft.id, 'approve', s.version).expect(200)).body;
    const acc = (await act(tf['kh.liaison'], draft.id, 'accept', a.version).expect(200)).body;
    const h = (
      await act(tf['kh.liaison'], draft.id, 'handover', acc.version, {
        handovers: [handoverOf(held.id)],
      }).expect(200)
    ).body;
    const c = (
      await act(tf['kr.officer'], draft.id, 'confirm-handover', h.version, { arrestIds: [held.id] }).expect(
        200,
      )
    ).body;
    expect(c.counts.handedOver).toBe(1);
    await act(tf['kh.liaison'], draft.id, 'fulfil', c.version).expect(200);
    expect((await tf['kr.officer'].get(`/arrests/${held.id}`).expect(200)).body.custodyStatus).toBe(
      'repatriated',
    );
  });
});
