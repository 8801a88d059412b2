import type { DataSource } from 'typeorm';
import type { SignedIn } from './http';
import type { TaskForce } from './scenario';
import type { TestApp } from './test-app';

export const lee = {
  names: [
    { full: '이재성', family: '이', given: '재성', script: 'hangul', kind: 'primary' },
    { full: 'Lee Jae-seong', family: 'Lee', given: 'Jae-seong', script: 'latin', kind: 'alias' },
  ],
  birthDate: '1985-03-14',
  nationalities: ['KR'],
  sex: 'male',
  documents: [{ type: 'passport', number: 'M12345678', issuingCountry: 'KR' }],
};

export const threeSuspects = (frameworkId: string) => ({
  frameworkId,
  banningCountry: 'KH',
  subject: 'Ringleaders of the Golden Fortune compound',
  entries: [
    {
      person: lee,
      grounds: 'Ringleader of a voice-phishing ring run from a compound in Sihanoukville.',
      groundsSummary: 'Voice-phishing ringleader (KR warrant 2026-112)',
    },
    {
      person: {
        names: [{ full: 'PARK Min-ho', family: 'Park', given: 'Min-ho', script: 'latin', kind: 'primary' }],
        birthDate: '1979',
        nationalities: ['KR'],
      },
      grounds: 'Money-laundering for the compound.',
      groundsSummary: 'Money launderer',
    },
    {
      person: {
        names: [
          { full: 'CHOI Young-soo', family: 'Choi', given: 'Young-soo', script: 'latin', kind: 'primary' },
        ],
        nationalities: ['KR'],
      },
      grounds: 'Recruiter.',
      groundsSummary: 'Recruiter',
    },
  ],
});

/** KR proposes, KR liaison approves, KH liaison accepts: entries await KH's decisions. */
export async function proposedAndAccepted(tf: TaskForce, body: object) {
  const proposal = (await tf['kr.officer'].post('/blacklist-entries/batch', body).expect(201)).body;
  let version = proposal.version;
  const step = async (who: SignedIn, action: string) => {
    const res = await who.post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200);
    version = res.body.version;
    return res.body;
  };
  await step(tf['kr.officer'], 'submit');
  await step(tf['kr.liaison'], 'approve');
  const accepted = await step(tf['kh.liaison'], 'accept');
  return { proposal: accepted, step };
}

/** Each search key's kept count of holders, and the holders actually stored: they must be equal. */
export async function keyCounts(ds: DataSource) {
  const counted = await ds.query(
    `SELECT banning_country, key, entries FROM blacklist_search_key_count WHERE entries > 0 ORDER BY 1, 2`,
  );
  const held = await ds.query(
    `SELECT banning_country, key, count(*)::int AS entries FROM blacklist_search_key GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return { counted, held };
}

/**
 * MY proposes one person for KR's blacklist under the Korea–Malaysia MOU; MY approves and KR accepts
 * the proposal: the entry awaits KR's decision. Returns the entry's, the proposal's and the person's ids.
 */
export async function entryMalaysiaProposedToKorea(
  t: TestApp,
  tf: TaskForce,
  entry: { person: object; grounds: string; groundsSummary: string },
): Promise<{ entryId: string; proposalId: string; personId: string }> {
  const [{ id: koreaMalaysia }] = await t.dataSource.query(
    `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
  );
  const proposal = (
    await tf['my.officer']
      .post('/blacklist-entries', { frameworkId: koreaMalaysia, banningCountry: 'KR', entry })
      .expect(201)
  ).body;
  let version = proposal.version;
  for (const [who, action] of [
    [tf['my.officer'], 'submit'],
    [tf['my.liaison'], 'approve'],
    [tf['kr.liaison'], 'accept'],
  ] as const)
    version = (await who.post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200)).body
      .version;
  const entryId = proposal.entries[0].id as string;
  const [{ person_id: personId }] = await t.dataSource.query(
    `SELECT person_id FROM blacklist_entry WHERE id = $1`,
    [entryId],
  );
  return { entryId, proposalId: proposal.id as string, personId };
}

/** KR's liaison activates an entry MY proposed (version 1: nothing decided on it yet). */
export const activatedByKorea = (tf: TaskForce, entryId: string) =>
  tf['kr.liaison'].post(`/blacklist-entries/${entryId}/activate`, {
    version: 1,
    legalBasis: 'Immigration Act s. 11',
    expiresOn: '2031-12-31',
  });

/** As `entryMalaysiaProposedToKorea`, and KR activates the entry. */
export async function entryMalaysiaAskedKoreaToBan(
  t: TestApp,
  tf: TaskForce,
  entry: { person: object; grounds: string; groundsSummary: string },
): Promise<{ entryId: string; proposalId: string; personId: string }> {
  const proposed = await entryMalaysiaProposedToKorea(t, tf, entry);
  await activatedByKorea(tf, proposed.entryId).expect(200);
  return proposed;
}

/**
 * KH records `person` and shares it with KR (a case share, CLEAR); KR proposes it for MY's blacklist
 * under the Korea–Malaysia MOU, KR approves and MY accepts: MY reads the person only through KR's
 * proposal (an onward recipient), and KH takes no part. With `activate`, MY activates the entry.
 */
export async function khPersonKrProposedToMy(
  t: TestApp,
  tf: TaskForce,
  person: object,
  { activate = false } = {},
): Promise<{ personId: string; entryId: string; proposalId: string }> {
  const [{ id: koreaMalaysia }] = await t.dataSource.query(
    `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
  );
  const personId = (await tf['kh.officer'].post('/persons', person).expect(201)).body.id as string;
  const kase = (
    await tf['kh.officer']
      .post('/cases', { title: 'KH case shared with KR', persons: [{ personId, role: 'suspect' }] })
      .expect(201)
  ).body;
  await tf['kh.liaison']
    .post(`/cases/${kase.id}/shares`, { countryCode: 'KR', handlingCode: 'CLEAR' })
    .expect(201);
  const proposal = (
    await tf['kr.officer']
      .post('/blacklist-entries', {
        frameworkId: koreaMalaysia,
        banningCountry: 'MY',
        entry: { personId, grounds: 'Recruiter for a compound.', groundsSummary: 'Recruiter' },
      })
      .expect(201)
  ).body;
  let version = proposal.version;
  for (const [who, action] of [
    [tf['kr.officer'], 'submit'],
    [tf['kr.liaison'], 'approve'],
    [tf['my.liaison'], 'accept'],
  ] as const)
    version = (await who.post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200)).body
      .version;
  const entryId = proposal.entries[0].id as string;
  if (activate)
    await tf['my.liaison']
      .post(`/blacklist-entries/${entryId}/activate`, {
        version: 1,
        legalBasis: 'Immigration Act s. 9',
        expiresOn: '2031-12-31',
      })
      .expect(200);
  return { personId, entryId, proposalId: proposal.id as string };
}

/**
 * KH's checkpoint screener screens PARK Min-ho (born 1979, KR): the screening, and its candidate that is
 * `entryId`, undecided.
 */
export async function khScreenerScreensParkMinho(
  screener: SignedIn,
  entryId: string,
): Promise<{ screeningId: string; candidateId: string }> {
  const screening = (
    await screener
      .post('/screenings', {
        names: [{ full: 'PARK Min-ho' }],
        birthDate: '1979',
        nationality: 'KR',
        checkpoint: 'Phnom Penh International Airport',
      })
      .expect(201)
  ).body;
  const candidate = screening.candidates.find(
    (c: { entry: { entryId: string } }) => c.entry.entryId === entryId,
  );
  return { screeningId: screening.id as string, candidateId: candidate.id as string };
}

/**
 * KH's checkpoint screener screens PARK Min-ho (born 1979, KR) and confirms the candidate that is
 * `entryId` (with `reason`, if given). Returns the screening's id.
 */
export async function khScreenerConfirmsParkMinho(
  screener: SignedIn,
  entryId: string,
  reason?: string,
): Promise<string> {
  const { screeningId, candidateId } = await khScreenerScreensParkMinho(screener, entryId);
  await screener
    .post(`/screenings/${screeningId}/candidates/${candidateId}/decision`, {
      decision: 'confirmed',
      ...(reason ? { reason } : {}),
    })
    .expect(200);
  return screeningId;
}

/** LIM Kosal as KR records him: a KH national with one passport (the amendment notices' cases). */
export const limKosal = {
  names: [{ full: 'LIM Kosal', family: 'Lim', given: 'Kosal', script: 'latin', kind: 'primary' }],
  birthDate: '1988-07-02',
  nationalities: ['KH'],
  sex: 'male',
  documents: [{ type: 'passport', number: 'N00451277', issuingCountry: 'KH' }],
};

/**
 * KR records LIM Kosal and proposes him for MY's blacklist under the Korea–Malaysia MOU; KR approves,
 * MY accepts and activates the entry. Returns the person's id and the active entry.
 */
export async function limKosalBannedByMalaysia(
  t: TestApp,
  tf: TaskForce,
): Promise<{ personId: string; entry: { id: string; version: number } }> {
  const [{ id: koreaMalaysia }] = await t.dataSource.query(
    `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
  );
  const person = (await tf['kr.officer'].post('/persons', limKosal).expect(201)).body;
  const proposal = (
    await tf['kr.officer']
      .post('/blacklist-entries', {
        frameworkId: koreaMalaysia,
        banningCountry: 'MY',
        entry: {
          personId: person.id,
          grounds: 'Runs a scam compound in Kuala Lumpur.',
          groundsSummary: 'Scam compound boss',
        },
      })
      .expect(201)
  ).body;
  let version = proposal.version;
  for (const [who, action] of [
    [tf['kr.officer'], 'submit'],
    [tf['kr.liaison'], 'approve'],
    [tf['my.liaison'], 'accept'],
  ] as const)
    version = (await who.post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200)).body
      .version;
  const entry = (
    await tf['my.liaison']
      .post(`/blacklist-entries/${proposal.entries[0].id}/activate`, {
        version: 1,
        legalBasis: 'Immigration Act 1959/63 s. 9',
        expiresOn: '2031-12-31',
      })
      .expect(200)
  ).body;
  return { personId: person.id as string, entry };
}

/** KR's officer edits LIM Kosal: `fields` replace his own (the amendments job has not run yet). */
export async function krEditsLimKosal(tf: TaskForce, personId: string, fields: object): Promise<void> {
  const { version } = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
  await tf['kr.officer'].patch(`/persons/${personId}`, { ...limKosal, ...fields, version }).expect(200);
}
