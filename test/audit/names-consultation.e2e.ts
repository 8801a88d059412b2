import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import {
  aBankAccount,
  anAcceptedRequest,
  aPerson,
  aWallet,
  koreaMalaysiaFramework,
} from '../asset-freezes/asset-freeze-scenario';
import { proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface Event {
  action: string;
  recordType: string | null;
  recordId: string | null;
  ownerCountry: string | null;
  counterpartCountry: string | null;
  actor: { username: string | null; country: string | null };
  details: Record<string, unknown> | null;
}

/**
 * "Who looked at this person?" beyond the person's own page: a blacklist entry shows the person's
 * identity, a repatriation request its persons by name, a screening its candidates (wanted persons).
 * Each such read is in the reader's country's trail with what it showed, as `person.read` is, and never
 * in the other country's (the proposing or banning one, the other side of the request): when and how
 * often a partner looked is the partner's own.
 */
describe('Consulting the names that entries, repatriations, freezes and screenings show is audited', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khScreener: SignedIn;
  /** KR's proposal to KH, accepted: three entries, PARK Min-ho's (the second) activated by KH. */
  let entries: Array<{ id: string; personId: string }>;
  let parkEntry: { id: string; personId: string };
  let proposalId: string;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    khScreener = await signIn(t.server, 'kh.screener');
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    entries = proposal.entries;
    proposalId = proposal.id;
    parkEntry = entries[1]!;
    await tf['kh.liaison']
      .post(`/blacklist-entries/${parkEntry.id}/activate`, {
        version: 1,
        legalBasis: 'Immigration Law art. 29',
        expiresOn: '2031-12-31',
      })
      .expect(200);
  }, 60_000);
  afterAll(() => t?.close());

  const events = async (auditor: SignedIn, query: string): Promise<Event[]> =>
    (await auditor.get(`/audit-events?${query}&limit=200`).expect(200)).body.items;
  /** Events of `action` written by users of `country`, straight from the table (every trail at once). */
  const written = async (action: string, country: string): Promise<number> =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = $1 AND actor_country = $2`,
        [action, country],
      )
    )[0].n;

  describe('blacklist entries', () => {
    it('the banning country reads an entry: blacklist.entry.read in its trail, naming the person shown', async () => {
      const view = (await tf['kh.liaison2'].get(`/blacklist-entries/${parkEntry.id}`).expect(200)).body;
      expect(view.names.map((n: { full: string }) => n.full)).toContain('PARK Min-ho');
      const reads = await events(tf['kh.auditor'], `action=blacklist.entry.read&recordId=${parkEntry.id}`);
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatchObject({
        recordType: 'blacklist_entry',
        ownerCountry: 'KH',
        counterpartCountry: null,
        actor: { username: 'kh.liaison2', country: 'KH' },
        details: { personId: view.personId, proposingCountry: 'KR', banningCountry: 'KH' },
      });
      // The proposing country, whose person it is, is not told that KH looked.
      const krTrail = await events(tf['kr.auditor'], `recordType=blacklist_entry&recordId=${parkEntry.id}`);
      expect(krTrail.filter((e) => e.action === 'blacklist.entry.read')).toEqual([]);
    });

    it('the proposing country reads it too: in its own trail only', async () => {
      await tf['kr.officer2'].get(`/blacklist-entries/${entries[0]!.id}`).expect(200);
      const [read] = await events(tf['kr.auditor'], `action=blacklist.entry.read&recordId=${entries[0]!.id}`);
      expect(read).toMatchObject({ ownerCountry: 'KR', actor: { username: 'kr.officer2' } });
      expect(
        await events(tf['kh.auditor'], `action=blacklist.entry.read&recordId=${entries[0]!.id}`),
      ).toEqual([]);
    });

    it('a page of entries: blacklist.entry.list with the filters, the cursor and the entries shown', async () => {
      const first = (await tf['kh.officer'].get('/blacklist-entries?side=banning&limit=2').expect(200)).body;
      const second = (
        await tf['kh.officer']
          .get(`/blacklist-entries?side=banning&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
          .expect(200)
      ).body;
      const shown = (page: { items: Array<{ id: string }> }) => page.items.map((e) => e.id);
      expect([...shown(first), ...shown(second)].sort()).toEqual(entries.map((e) => e.id).sort());
      const lists = await events(tf['kh.auditor'], 'action=blacklist.entry.list');
      expect(lists).toHaveLength(2);
      // Newest first: the second page's read, then the first's.
      expect(lists[1]).toMatchObject({
        recordType: 'blacklist_entry',
        ownerCountry: 'KH',
        counterpartCountry: null,
        actor: { username: 'kh.officer', country: 'KH' },
        details: { filters: { side: 'banning' }, cursor: null, shown: shown(first) },
      });
      expect(lists[0]!.details).toEqual({
        filters: { side: 'banning' },
        cursor: first.nextCursor,
        shown: shown(second),
      });
      expect(await events(tf['kr.auditor'], 'action=blacklist.entry.list')).toEqual([]);
    });

    it('the proposal shows its entries’ persons: blacklist.proposal.read and .list in the reader’s trail only', async () => {
      const view = (await tf['kh.liaison2'].get(`/blacklist-proposals/${proposalId}`).expect(200)).body;
      const persons = view.entries.map((e: { personId: string }) => e.personId);
      expect([...persons].sort()).toEqual(entries.map((e) => e.personId).sort());
      const reads = await events(tf['kh.auditor'], `action=blacklist.proposal.read&recordId=${proposalId}`);
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatchObject({
        recordType: 'request',
        ownerCountry: 'KH',
        counterpartCountry: null,
        actor: { username: 'kh.liaison2', country: 'KH' },
        details: { persons },
      });
      const page = (await tf['kr.officer2'].get('/blacklist-proposals?limit=5').expect(200)).body;
      expect(page.items.map((r: { id: string }) => r.id)).toContain(proposalId);
      const [list] = await events(tf['kr.auditor'], 'action=blacklist.proposal.list');
      expect(list).toMatchObject({
        ownerCountry: 'KR',
        counterpartCountry: null,
        actor: { username: 'kr.officer2', country: 'KR' },
        details: { filters: {}, cursor: null, shown: page.items.map((r: { id: string }) => r.id) },
      });
      // Neither side is told of the other's reads.
      expect(await events(tf['kr.auditor'], 'action=blacklist.proposal.read')).toEqual([]);
      expect(await events(tf['kh.auditor'], 'action=blacklist.proposal.list')).toEqual([]);
    });

    it('an entry hidden from the caller: 404, and no consultation, only the refusal naming no owner', async () => {
      await tf['my.officer'].get(`/blacklist-entries/${parkEntry.id}`).expect(404);
      expect(await written('blacklist.entry.read', 'MY')).toBe(0);
      const myTrail = await events(tf['my.auditor'], `recordId=${parkEntry.id}`);
      expect(myTrail.map((e) => e.action)).toEqual(['access.denied']);
      expect(myTrail[0]!.ownerCountry).toBeNull();
      expect(JSON.stringify(myTrail)).not.toContain(parkEntry.personId);
    });

    it('an entry’s amendments (identities proposed by the owner): blacklist.entry.amendment.list, the reader’s own', async () => {
      // KR rewrites PARK's person after KH banned him: the change waits as an amendment of KH's entry.
      const person = (await tf['kr.officer'].get(`/persons/${parkEntry.personId}`).expect(200)).body;
      await tf['kr.officer']
        .patch(`/persons/${parkEntry.personId}`, {
          version: person.version,
          names: [{ full: 'PARK Min-jun', script: 'latin', kind: 'primary' }],
          birthDate: '1979-05-05',
          nationalities: ['KR'],
        })
        .expect(200);
      await t.app.get(BlacklistAmendmentsService).runPending();
      const amendments = (
        await tf['kh.liaison'].get(`/blacklist-entries/${parkEntry.id}/amendments?status=pending`).expect(200)
      ).body as Array<{ id: string; names: Array<{ full: string }> }>;
      expect(amendments.map((a) => a.names[0]!.full)).toEqual(['PARK Min-jun']);
      const [list] = await events(
        tf['kh.auditor'],
        `action=blacklist.entry.amendment.list&recordId=${parkEntry.id}`,
      );
      expect(list).toMatchObject({
        recordType: 'blacklist_entry',
        ownerCountry: 'KH',
        counterpartCountry: null,
        actor: { username: 'kh.liaison', country: 'KH' },
        details: { filters: { status: 'pending' }, shown: amendments.map((a) => a.id) },
      });
      expect(await events(tf['kr.auditor'], 'action=blacklist.entry.amendment.list')).toEqual([]);
      await tf['my.officer'].get(`/blacklist-entries/${parkEntry.id}/amendments`).expect(404);
      expect(await written('blacklist.entry.amendment.list', 'MY')).toBe(0);
    });

    it('a refused page writes nothing', async () => {
      const before = await written('blacklist.entry.list', 'KH');
      await tf['kh.officer'].get('/blacklist-entries?status=wanted').expect(400);
      await tf['kh.officer'].get('/blacklist-entries?cursor=not-a-cursor').expect(400);
      await tf['kh.officer'].get('/blacklist-entries/not-an-id').expect(400);
      expect(await written('blacklist.entry.list', 'KH')).toBe(before);
    });
  });

  describe('screenings', () => {
    let screeningId: string;
    let candidates: Array<{ id: string; entry: { entryId: string } }>;
    beforeAll(async () => {
      const screening = (
        await khScreener
          .post('/screenings', {
            names: [{ full: 'PARK Min-ho' }],
            birthDate: '1979',
            nationality: 'KR',
            checkpoint: 'Phnom Penh International Airport',
          })
          .expect(201)
      ).body;
      screeningId = screening.id;
      candidates = screening.candidates;
      expect(candidates.map((c) => c.entry.entryId)).toContain(parkEntry.id);
    });

    it('the screener reads the screening: screening.read in its country’s trail with the candidates shown', async () => {
      const view = (await khScreener.get(`/screenings/${screeningId}`).expect(200)).body;
      const reads = await events(tf['kh.auditor'], `action=screening.read&recordId=${screeningId}`);
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatchObject({
        recordType: 'screening',
        ownerCountry: 'KH',
        counterpartCountry: null,
        actor: { username: 'kh.screener', country: 'KH' },
        details: {
          candidates: view.candidates.map((c: { id: string }) => c.id),
          entries: view.candidates.map((c: { entry: { entryId: string } }) => c.entry.entryId),
        },
      });
      expect(reads[0]!.details!.entries).toContain(parkEntry.id);
    });

    it('the proposing country is not told which of its wanted persons the checkpoint looked at', async () => {
      await tf['kh.liaison'].get(`/screenings/${screeningId}`).expect(200);
      expect(await written('screening.read', 'KH')).toBe(2);
      expect(await events(tf['kr.auditor'], 'action=screening.read')).toEqual([]);
      const krTrail = await events(tf['kr.auditor'], `recordType=screening&recordId=${screeningId}`);
      expect(krTrail).toEqual([]);
    });

    it('another country’s screening: 404 and no consultation', async () => {
      await tf['kr.screener'].get(`/screenings/${screeningId}`).expect(404);
      expect(await written('screening.read', 'KR')).toBe(0);
      await khScreener.get('/screenings/not-an-id').expect(400);
      expect(await written('screening.read', 'KH')).toBe(2);
    });
  });

  describe('repatriation requests', () => {
    let requestId: string;
    let personId: string;
    beforeAll(async () => {
      const arrest = (
        await tf['kh.officer']
          .post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'Golden Fortune compound',
            grounds: 'Online fraud',
            arrestingAgency: 'Cambodian National Police',
            nationality: 'KR',
            person: { names: [{ full: '한도윤', script: 'hangul', kind: 'primary' }] },
          })
          .expect(201)
      ).body;
      personId = arrest.person.id;
      const draft = (
        await tf['kh.officer']
          .post('/repatriation-requests', {
            frameworkId: tf.cambodiaKoreaFramework,
            targetCountry: 'KR',
            priority: 'routine',
            handlingCode: 'AMBER',
            subject: 'Repatriation of one KR national',
            arrestIds: [arrest.id],
          })
          .expect(201)
      ).body;
      requestId = draft.id;
      const submitted = (
        await tf['kh.officer']
          .post(`/repatriation-requests/${requestId}/submit`, { version: draft.version })
          .expect(200)
      ).body;
      await tf['kh.liaison']
        .post(`/repatriation-requests/${requestId}/approve`, { version: submitted.version })
        .expect(200);
    });

    it('the receiving side reads the request: repatriation.read in its trail, naming the persons', async () => {
      const view = (await tf['kr.officer'].get(`/repatriation-requests/${requestId}`).expect(200)).body;
      expect(view.persons.map((p: { personId: string }) => p.personId)).toEqual([personId]);
      const reads = await events(tf['kr.auditor'], `action=repatriation.read&recordId=${requestId}`);
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatchObject({
        recordType: 'request',
        ownerCountry: 'KR',
        counterpartCountry: null,
        actor: { username: 'kr.officer', country: 'KR' },
        details: { persons: [personId] },
      });
      // The sending side, whose request it is, is not told when KR looked.
      expect(await events(tf['kh.auditor'], 'action=repatriation.read')).toEqual([]);
      const khTrail = await events(tf['kh.auditor'], `recordType=request&recordId=${requestId}`);
      expect(khTrail.filter((e) => e.actor.country === 'KR')).toEqual([]);
    });

    it('a page of requests: repatriation.list with the filters and the requests shown', async () => {
      const page = (await tf['kh.officer2'].get('/repatriation-requests?status=sent').expect(200)).body;
      expect(page.items.map((r: { id: string }) => r.id)).toEqual([requestId]);
      const [list] = await events(tf['kh.auditor'], 'action=repatriation.list');
      expect(list).toMatchObject({
        recordType: 'request',
        ownerCountry: 'KH',
        counterpartCountry: null,
        actor: { username: 'kh.officer2', country: 'KH' },
        details: { filters: { status: 'sent' }, cursor: null, shown: [requestId] },
      });
      expect(await events(tf['kr.auditor'], 'action=repatriation.list')).toEqual([]);
    });

    it('a request hidden from the caller, or a refused filter: nothing recorded but the refusal', async () => {
      await tf['my.officer'].get(`/repatriation-requests/${requestId}`).expect(404);
      expect(await written('repatriation.read', 'MY')).toBe(0);
      expect(JSON.stringify(await events(tf['my.auditor'], `recordId=${requestId}`))).not.toContain(personId);
      const before = await written('repatriation.list', 'KR');
      await tf['kr.officer'].get('/repatriation-requests?status=somewhere').expect(400);
      expect(await written('repatriation.list', 'KR')).toBe(before);
    });
  });

  describe('asset-freeze requests', () => {
    let requestId: string;
    let holderPersonId: string;
    beforeAll(async () => {
      holderPersonId = await aPerson(tf['kr.officer'], 'LEE Borrowed-name');
      const accepted = await anAcceptedRequest(tf, await koreaMalaysiaFramework(t), [
        aBankAccount({ holderName: 'LEE Borrowed-name', borrowedName: true, personId: holderPersonId }),
        aBankAccount({ accountNumber: '5140-9999-0001', holderName: 'TAN Ah Kow' }),
        aWallet(),
      ]);
      requestId = accepted.id;
    });

    it('the target reads the request: asset_freeze.read in its trail, naming the holders linked to persons', async () => {
      const view = (await tf['my.officer'].get(`/asset-freeze-requests/${requestId}`).expect(200)).body;
      expect(view.targets.map((x: { holderName: string | null }) => x.holderName)).toEqual(
        expect.arrayContaining(['LEE Borrowed-name', 'TAN Ah Kow']),
      );
      const reads = await events(tf['my.auditor'], `action=asset_freeze.read&recordId=${requestId}`);
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatchObject({
        recordType: 'request',
        ownerCountry: 'MY',
        counterpartCountry: null,
        actor: { username: 'my.officer', country: 'MY' },
        details: { persons: [holderPersonId] },
      });
      // The requesting side is not told when MY looked.
      expect(await events(tf['kr.auditor'], 'action=asset_freeze.read')).toEqual([]);
    });

    it('a page of requests: asset_freeze.list with the filters and the requests shown, in the reader’s trail only', async () => {
      const page = (await tf['kr.officer'].get('/asset-freeze-requests?status=accepted').expect(200)).body;
      expect(page.items.map((r: { id: string }) => r.id)).toEqual([requestId]);
      const [list] = await events(tf['kr.auditor'], 'action=asset_freeze.list');
      expect(list).toMatchObject({
        recordType: 'request',
        ownerCountry: 'KR',
        actor: { username: 'kr.officer', country: 'KR' },
        details: { filters: { status: 'accepted' }, cursor: null, shown: [requestId] },
      });
      expect(await events(tf['my.auditor'], 'action=asset_freeze.list')).toEqual([]);
    });

    it('a request hidden from the caller: 404, and no consultation', async () => {
      await tf['kh.officer'].get(`/asset-freeze-requests/${requestId}`).expect(404);
      expect(await written('asset_freeze.read', 'KH')).toBe(0);
    });
  });
});
