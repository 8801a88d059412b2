/** Request bodies and set-up steps shared by the HTTP benchmarks and the crash check. */
import { aDraft } from '../../test/support/scenario';
import { Api, pool } from './harness';

export { aDraft };

export async function frameworkId(api: Api): Promise<string> {
  const res = await api.call('GET', '/frameworks');
  const list = (Array.isArray(res.body) ? res.body : res.body.items) as Array<{ id: string; name: string }>;
  const found = list.find((f) => f.name === 'Cambodia–Korea Joint Task Force');
  if (!found) throw new Error(`no Cambodia–Korea framework: ${JSON.stringify(res.body).slice(0, 300)}`);
  return found.id;
}

function expect(status: number, res: { status: number; body: unknown }, what: string) {
  if (res.status !== status)
    throw new Error(
      `${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`,
    );
  return res.body as any;
}

/** `count` information requests drafted by kr.officer, submitted, and approved by kr.liaison: sent to KH. */
export async function sendRequests(
  officer: Api,
  liaison: Api,
  framework: string,
  count: number,
  concurrency = 8,
): Promise<void> {
  await pool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const draft = expect(
        201,
        await officer.call(
          'POST',
          '/information-requests',
          aDraft(framework, { subject: `Bench request ${i}` }),
        ),
        'create',
      );
      const submitted = expect(
        200,
        await officer.call('POST', `/information-requests/${draft.id}/submit`, { version: draft.version }),
        'submit',
      );
      expect(
        200,
        await liaison.call('POST', `/information-requests/${draft.id}/approve`, {
          version: submitted.version,
        }),
        'approve',
      );
    },
  );
}

const FAMILY = [
  'Kim',
  'Lee',
  'Park',
  'Choi',
  'Jung',
  'Kang',
  'Cho',
  'Yoon',
  'Jang',
  'Lim',
  'Han',
  'Oh',
  'Seo',
  'Shin',
];
const GIVEN = [
  'Min-jun',
  'Seo-yeon',
  'Ji-hoon',
  'Ha-eun',
  'Do-yun',
  'Su-bin',
  'Jae-seong',
  'Young-soo',
  'Hyun-woo',
  'Ji-woo',
  'Eun-ji',
  'Sung-min',
  'Dong-hyun',
  'Yu-na',
  'Tae-yang',
];

/** Up to 210 distinct KR suspects (family × given name), with a birth date and a passport. */
export function suspects(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const family = FAMILY[i % FAMILY.length]!;
    const given = GIVEN[Math.floor(i / FAMILY.length) % GIVEN.length]!;
    return {
      person: {
        names: [
          { full: `${family.toUpperCase()} ${given}`, family, given, script: 'latin', kind: 'primary' },
        ],
        birthDate: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
        nationalities: ['KR'],
        sex: i % 3 ? 'male' : 'female',
        documents: [
          { type: 'passport', number: `M${String(10_000_000 + i * 7919).slice(0, 8)}`, issuingCountry: 'KR' },
        ],
      },
      grounds: `Member of the Golden Fortune compound network (bench suspect ${i}).`,
      groundsSummary: `Compound member ${i}`,
    };
  });
}

/**
 * KR proposes `count` suspects in one list, KR's liaison approves, KH's liaison accepts and activates
 * every entry: the active blacklist KH's checkpoints screen against.
 */
export async function activeBlacklist(
  tf: { krOfficer: Api; krLiaison: Api; khLiaison: Api },
  framework: string,
  count: number,
): Promise<number> {
  const proposal = expect(
    201,
    await tf.krOfficer.call('POST', '/blacklist-entries/batch', {
      frameworkId: framework,
      banningCountry: 'KH',
      subject: 'Bench: members of the Golden Fortune compound network',
      entries: suspects(count),
    }),
    'propose',
  );
  let version = proposal.version;
  for (const [who, action] of [
    [tf.krOfficer, 'submit'],
    [tf.krLiaison, 'approve'],
    [tf.khLiaison, 'accept'],
  ] as const) {
    const res = expect(
      200,
      await who.call('POST', `/blacklist-proposals/${proposal.id}/${action}`, { version }),
      action,
    );
    version = res.version;
  }
  const entries = proposal.entries as Array<{ id: string; version: number }>;
  await pool(entries, 4, async (entry) => {
    expect(
      200,
      await tf.khLiaison.call('POST', `/blacklist-entries/${entry.id}/activate`, {
        version: entry.version ?? 1,
        legalBasis: 'Immigration Law art. 29',
        expiresOn: '2031-12-31',
      }),
      'activate',
    );
  });
  return entries.length;
}

/** Suspect 85 of `suspects`: LEE Jae-seong, born 1995-04-15. */
const listed = suspects(86)[85]!.person;

/**
 * A traveller at Phnom Penh airport close to one listed suspect (LEE Jae-seong): the name as another
 * passport spells it, the same date of birth, sex and nationality, another passport number. (Until
 * session 11 its date of birth matched no suspect, so once dates of birth counted it found no candidate
 * and the benchmark measured no scoring.)
 */
export const aScreening = {
  checkpoint: 'PNH-AIRPORT-ARR-3',
  names: [{ full: 'RHEE Jae Seong', family: 'RHEE', given: 'Jae Seong' }],
  birthDate: listed.birthDate,
  nationality: 'KR',
  sex: listed.sex,
  document: { number: 'M55501234', issuingCountry: 'KR' },
};
