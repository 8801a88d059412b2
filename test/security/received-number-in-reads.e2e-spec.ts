import request from 'supertest';
import { upload } from '../attachments/attachment-support';
import { csvCell } from '../arrests/raid-fixtures';
import { frameworkId, identifiersKhGaveKr, personKhGaveKr, RELEASE_REFUSED } from '../sharing/support';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import {
  AUDIT_TYPE,
  fillPath,
  kindOf,
  loadRoutes,
  raw,
  readable,
  Route,
  SignedCaller,
  signInEveryone,
  declaredQueryNames,
} from './security-support';

/** A number KR received from KH, under a handling code that keeps it from MY without KH's consent. */
interface Received {
  code: string;
  value: string;
  /** How it is written into free text, in turn: as given, in spaced groups, nationally with dashes. */
  forms: string[];
  /**
   * Its national digits (without 855, so the national form `012-000-111` is found too) with any run of
   * separators between them (spaces, dashes, dots, brackets, no-break and zero-width spaces).
   */
  pattern: RegExp;
}

/** Each digit's ASCII value, by the digit, worked out once. */
const DIGIT_VALUE = new Map<string, string>();

/** Digits of any script as ASCII, NFKC forms, and no default-ignorable code points or marks. */
function foldDigits(text: string): string {
  if (/^[\t\n\r -~]*$/.test(text)) return text;
  return text
    .normalize('NFKC')
    .replace(/[\p{Default_Ignorable_Code_Point}\p{Cf}\p{M}]/gu, '')
    .replace(/\p{Nd}/gu, (digit) => {
      // Its distance from the first digit of its run (its script's zero), found once per digit: walking
      // back to it for every digit of every non-ASCII body (ids, times) cost ~4 s of the sweep's CPU.
      let value = DIGIT_VALUE.get(digit);
      if (value === undefined) {
        let start = digit.codePointAt(0)!;
        while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
        value = String((digit.codePointAt(0)! - start) % 10);
        DIGIT_VALUE.set(digit, value);
      }
      return value;
    });
}

const inScript = (zero: number) => (s: string) =>
  s.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
const between = (sep: string) => (s: string) => s.replace(/(?<=[0-9])(?=[0-9])/g, sep);
/** The number in other scripts' digits, mixed, and with format characters between digits (section 12). */
const SCRIPTS: Array<[string, (s: string) => string]> = [
  ['khmer', inScript(0x17e0)],
  ['thai', inScript(0x0e50)],
  ['arabicindic', inScript(0x0660)],
  ['persian', inScript(0x06f0)],
  ['fullwidth', (s) => inScript(0xff10)(s).replace('+', '\uff0b')],
  ['mixed', (s) => s.replace(/[0-9]/g, (d, i: number) => (i % 2 ? inScript(0x17e0)(d) : d))],
  ['zerowidth', between('\u200b')],
  ['softhyphen', between('\u00ad')],
  ['wordjoiner', between('\u2060')],
  ['mongolianvs', between('\u180e')],
  ['khmerzw', (s) => between('\u200c')(inScript(0x17e0)(s))],
];

function receivedNumber(code: string, value: string): Received {
  const national = value.replace(/\D/g, '').slice(3);
  const [a, b, c] = [national.slice(0, 2), national.slice(2, 5), national.slice(5)];
  return {
    code,
    value,
    forms: [value, `+855 ${a} ${b} ${c}`, `0${a}-${b}-${c}`],
    pattern: new RegExp(national.split('').join('[\\s\\-.()/\\u00a0\\u200b_]{0,3}'), 'g'),
  };
}

/**
 * The release rule, swept over every read of the third country: KH gives KR a phone number under AMBER
 * (in a person of its own), another under AMBER+STRICT and a third under RED (as bare identifiers).
 * KR's officers, liaison and admin then write each number — as given, in spaced groups, or nationally
 * with dashes, in turn — into every free text they can write on their own records: case, person and
 * arrest fields, file names, withdrawal and custody reasons, request subjects, questions, messages and
 * step comments of every request kind KR sends MY, KR's answers on the requests MY sends KR (accept,
 * reject, assign, fulfil, freeze steps, repatriation schedules, blacklist decisions), before and after
 * the record reaches MY, and tries every path that takes a record to MY (case and arrest shares,
 * requests of each kind, a request to KH and MY at once, a repatriation of a MY national, blacklist
 * proposals, records a sent request names, an identifier check). Refusals are expected; a step refused
 * for the number is taken again without it, so the steps after it are reached. Every caller of MY then
 * reads every GET route of the OpenAPI document (lists with common filters and their next pages, every
 * record of the sweep and every record MY's lists show by id, the audit timeline of each; a route the
 * caller's role is refused, once): no body or header may hold any of the three numbers, in any spacing. Each hit is listed as
 * `code caller GET url [status]: …snippet…`; the marker word before the number names the text it was
 * written into. KR's own reads of the same records must show many of those texts: the sweep reaches
 * where they would show.
 */
describe('Probe: a number received under AMBER, AMBER+STRICT or RED never reaches MY in a read', () => {
  let t: TestApp;
  let tf: TaskForce;
  let routes: Route[];
  let callers: SignedCaller[];
  let queryNames = new Map<string, Set<string>>();
  const received: Received[] = [
    receivedNumber('AMBER', '+85512000111'),
    receivedNumber('AMBER+STRICT', '+85597700222'),
    receivedNumber('RED', '+85593300333'),
  ];
  /** Records of the sweep, by kind, to read by id. */
  const records: { kind: string; id: string }[] = [];
  /** What each write answered: `status label`, printed for the report. */
  const writes: string[] = [];
  let ownCaseWithNumber = '';
  /** KH's person KR may pass on to MY (KH consented), section 13. */
  let consentedPerson = '';
  /** Numbers KH gives KR that MY holds too, of its own (identifier-check follow-ups, section 14). */
  const followUpNumbers = [
    { code: 'AMBER', value: '+85566600666' },
    { code: 'RED', value: '+85566600777' },
  ];
  /** KR's follow-up drafts to MY: MY never reads them. */
  const followUpDrafts: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    routes = await loadRoutes(t);
    callers = await signInEveryone(t);
    queryNames = await declaredQueryNames(t);

    // KH gives KR the numbers.
    const amberPerson = await personKhGaveKr(tf, 'AMBER');
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', { phones: [received[1].value] });
    await identifiersKhGaveKr(tf, 'RED', { phones: [received[2].value] });

    const krMy = await frameworkId(t, 'Korea–Malaysia');
    const krKh = tf.cambodiaKoreaFramework;
    // A body of all three countries, for requests to several at once (`alsoTo`).
    const admin = callers.find((c) => c.username === 'platform.admin')!.http;
    const body = await admin
      .post('/frameworks', {
        name: 'Three-country body',
        members: ['KR', 'KH', 'MY'],
        validFrom: '2026-01-01',
      })
      .expect(201);
    const iib = body.body.id as string;
    if (!body.body.active) await admin.patch(`/frameworks/${iib}`, { active: true }).expect(200);
    const officer = tf['kr.officer'];
    const liaison = tf['kr.liaison'];
    const my = { officer: tf['my.officer'], liaison: tf['my.liaison'] };

    /** Any write: its answer noted, never thrown. */
    const write = async (label: string, call: request.Test | Promise<request.Response>) => {
      const res = await call;
      const why = res.status >= 400 ? ` ${JSON.stringify(res.body).slice(0, 200)}` : '';
      writes.push(`${res.status} ${label}${why}`);
      return res;
    };
    const created = (res: request.Response, kind?: string) => {
      const body = res.body as { id?: string; version?: number };
      if (res.status >= 200 && res.status < 300 && body?.id && kind) records.push({ kind, id: body.id });
      return res.status >= 200 && res.status < 300 ? (body as { id: string; version: number }) : undefined;
    };
    const version = async (who: SignedIn, path: string) =>
      ((await who.get(path)).body as { version: number }).version;
    /**
     * A step on a record (`url`, its version read at `record`); refused for the number, it is taken
     * again without it, so the steps after it are reached too.
     */
    const stepAt = async (who: SignedIn, url: string, record: string, body: object = {}) => {
      const label = `${who.username} ${url.replace(/[0-9a-f-]{36}/g, '{id}')} ${Object.keys(body).join(',')}`;
      const res = await write(label, who.post(url, { version: await version(who, record), ...body }));
      if (res.status !== 409 || res.body?.type !== RELEASE_REFUSED) return res;
      let json = JSON.stringify(body);
      for (const r of received) for (const form of r.forms) json = json.split(form).join('');
      return write(
        `${label} (again, without the number)`,
        who.post(url, {
          version: await version(who, record),
          ...JSON.parse(json),
        }),
      );
    };
    const step = (who: SignedIn, path: string, id: string, action: string, body: object = {}) =>
      stepAt(who, `${path}/${id}/${action}`, `${path}/${id}`, body);
    const file = async (who: SignedIn, path: string, name: string) => {
      const res = await write(
        `${who.username} upload ${path} ${name.split(' ')[0]}`,
        upload(t, who, path, Buffer.from('A plain note\n'), name),
      );
      // Each file is read by id too (its view, its content's Content-Disposition).
      created(res, 'attachment');
      return res;
    };
    const withdrawFile = async (who: SignedIn, path: string, reason: string) => {
      const up = created(await file(who, path, 'plain-note.txt'));
      if (up) await write(`withdraw ${path} file`, who.post(`/attachments/${up.id}/withdraw`, { reason }));
    };
    const plainPerson = async (full: string, extra: object = {}) =>
      created(
        await write(
          'person',
          officer.post('/persons', { names: [{ full, script: 'latin', kind: 'primary' }], ...extra }),
        ),
        'person',
      );
    const plainArrest = async (nationality: string, extra: object = {}) =>
      created(
        await write(
          `arrest ${nationality}`,
          officer.post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'Incheon',
            grounds: 'Fraud',
            arrestingAgency: 'KNP',
            nationality,
            person: {
              names: [{ full: 'PARK Courier', script: 'latin', kind: 'primary' }],
              nationalities: [nationality],
            },
            ...extra,
          }),
        ),
        'arrest',
      );
    /** A KR request to `target` walked to sent (submitted and approved); undefined if refused. */
    const krRequest = async (path: string, kind: string, body: object, comment?: string) => {
      const draft = created(
        await write(`KR draft ${path} ${Object.keys(body).join(',')}`, officer.post(path, body)),
        kind,
      );
      if (!draft) return undefined;
      await step(officer, path, draft.id, 'submit', comment ? { comment } : {});
      await step(liaison, path, draft.id, 'approve', comment ? { comment } : {});
      return draft;
    };
    /** A MY request to KR, sent and (unless told otherwise) accepted by KR's liaison. */
    const myRequest = async (path: string, kind: string, body: object, accept = true) => {
      const draft = created(await write(`MY draft ${path}`, my.officer.post(path, body)), kind);
      if (!draft) throw new Error(`MY could not draft ${path}: ${JSON.stringify(writes.at(-1))}`);
      await step(my.officer, path, draft.id, 'submit');
      await step(my.liaison, path, draft.id, 'approve');
      if (accept) await step(liaison, path, draft.id, 'accept');
      return draft;
    };
    const irBody = (target: string, framework: string, fields: object = {}) => ({
      frameworkId: framework,
      targetCountry: target,
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: 'Compound staff',
      questions: ['Who else works there?'],
      ...fields,
    });
    let accounts = 0;
    const freezeTarget = (fields: object = {}) => ({
      type: 'bank_account',
      institutionName: 'Maybank',
      institutionCode: 'MBBEMYKL',
      accountNumber: String(514012345000 + ++accounts),
      holderName: 'TAN Ah Kow',
      borrowedName: false,
      amountSought: { amount: '25000', currency: 'MYR' },
      grounds: { summary: 'Victim deposits traced here' },
      ...fields,
    });
    const money = { amount: '100.00', currency: 'MYR' };

    for (const { value, forms } of received) {
      // Each text the next form of the number in turn, after a marker word naming the field.
      let turn = 0;
      const n = (marker: string) => `${marker} ${forms[turn++ % forms.length]}`;

      // 1. A case, its person and files, all holding the number, then shared with MY.
      const p1 = await plainPerson('HAN Jisoo', {
        notes: n('personnotes'),
        phones: [value],
        documents: [{ type: 'passport', number: value.replace(/\D/g, ''), issuingCountry: 'KR' }],
      });
      const p1b = await plainPerson('HAN Alias');
      if (p1b) {
        await write(
          'person names with number',
          officer.patch(`/persons/${p1b.id}`, {
            version: p1b.version,
            names: [
              { full: 'HAN Alias', script: 'latin', kind: 'primary' },
              { full: n('personalias'), script: 'latin', kind: 'alias' },
            ],
          }),
        );
      }
      const c1 = created(
        await write(
          'case with number',
          officer.post('/cases', {
            title: n('casetitle'),
            summary: n('casesummary'),
            persons: [p1, p1b].filter(Boolean).map((p) => ({ personId: p!.id, role: 'suspect' })),
          }),
        ),
        'case',
      );
      const c1plain = created(
        await write('plain case', officer.post('/cases', { title: 'Plain case, texts in its files' })),
        'case',
      );
      if (c1 && !ownCaseWithNumber) ownCaseWithNumber = c1.id;
      for (const c of [c1, c1plain].filter(Boolean)) {
        await file(officer, `/cases/${c!.id}/attachments`, n('casefilename'));
        await withdrawFile(officer, `/cases/${c!.id}/attachments`, n('casewithdrawal'));
        if (p1) await file(officer, `/persons/${p1.id}/attachments`, n('personfilename'));
        if (p1) await withdrawFile(officer, `/persons/${p1.id}/attachments`, n('personwithdrawal'));
        await write('share case before', liaison.post(`/cases/${c!.id}/shares`, { countryCode: 'MY' }));
        await write(
          'share case before AMBER',
          liaison.post(`/cases/${c!.id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' }),
        );
      }

      // 2. A plain case with a plain person, shared with MY, then written on.
      const p2 = await plainPerson('LEE Plain');
      const c2 = created(
        await write(
          'plain case',
          officer.post('/cases', {
            title: 'Plain shared case',
            persons: p2 ? [{ personId: p2.id, role: 'suspect' }] : [],
          }),
        ),
        'case',
      );
      if (c2) {
        await write('share plain case', liaison.post(`/cases/${c2.id}/shares`, { countryCode: 'MY' }));
        await write(
          'patch shared case',
          officer.patch(`/cases/${c2.id}`, {
            version: await version(officer, `/cases/${c2.id}`),
            title: n('casetitleafter'),
          }),
        );
        await write(
          'patch shared case summary',
          officer.patch(`/cases/${c2.id}`, {
            version: await version(officer, `/cases/${c2.id}`),
            summary: n('casesummaryafter'),
          }),
        );
        // (Tags take letters only: no number fits.)
        await file(officer, `/cases/${c2.id}/attachments`, n('casefilenameafter'));
        await withdrawFile(officer, `/cases/${c2.id}/attachments`, n('casewithdrawalafter'));
        if (p1)
          await write(
            'link person with number',
            officer.post(`/cases/${c2.id}/persons`, { persons: [{ personId: p1.id, role: 'witness' }] }),
          );
        await write(
          'link the AMBER person',
          officer.post(`/cases/${c2.id}/persons`, { persons: [{ personId: amberPerson, role: 'suspect' }] }),
        );
        if (p2) {
          const current = (await officer.get(`/persons/${p2.id}`)).body;
          await write(
            'patch shared person',
            officer.patch(`/persons/${p2.id}`, {
              version: current.version,
              names: [...current.names, { full: n('personaliasafter'), script: 'latin', kind: 'alias' }],
            }),
          );
          const again = (await officer.get(`/persons/${p2.id}`)).body;
          await write(
            'patch shared person notes',
            officer.patch(`/persons/${p2.id}`, {
              version: again.version,
              names: again.names,
              notes: n('personnotesafter'),
              phones: [value],
            }),
          );
          await file(officer, `/persons/${p2.id}/attachments`, n('personfilenameafter'));
          await withdrawFile(officer, `/persons/${p2.id}/attachments`, n('personwithdrawalafter'));
        }
        // An arrest recorded in the shared case, with the number in its texts.
        await plainArrest('KR', { caseId: c2.id, grounds: n('arrestgroundsincase') });
      }

      // 3. Arrests: written on before and after a share with MY.
      const a1 = await plainArrest('KR', {
        place: n('arrestplace'),
        province: n('arrestprovince'),
        district: n('arrestdistrict'),
        operation: n('arrestoperation'),
        grounds: n('arrestgrounds'),
        arrestingAgency: n('arrestagency'),
      });
      const a1b = await plainArrest('KR', {
        person: {
          names: [{ full: 'PARK Courier', script: 'latin', kind: 'primary' }],
          notes: n('arrestpersonnotes'),
          phones: [value],
        },
      });
      const a1c = await plainArrest('KR');
      if (a1c) {
        await step(officer, '/arrests', a1c.id, 'custody', { status: 'charged', reason: n('custodyreason') });
        await file(officer, `/arrests/${a1c.id}/attachments`, n('arrestfilename'));
        await withdrawFile(officer, `/arrests/${a1c.id}/attachments`, n('arrestwithdrawal'));
      }
      for (const a of [a1, a1b, a1c].filter(Boolean))
        await write('share arrest before', liaison.post(`/arrests/${a!.id}/shares`, { countryCode: 'MY' }));
      const a2 = await plainArrest('KR');
      if (a2) {
        await write('share plain arrest', liaison.post(`/arrests/${a2.id}/shares`, { countryCode: 'MY' }));
        await write(
          'custody after share',
          officer.post(`/arrests/${a2.id}/custody`, {
            version: await version(officer, `/arrests/${a2.id}`),
            status: 'charged',
            reason: n('custodyreasonafter'),
          }),
        );
        await file(officer, `/arrests/${a2.id}/attachments`, n('arrestfilenameafter'));
        await withdrawFile(officer, `/arrests/${a2.id}/attachments`, n('arrestwithdrawalafter'));
        const arrest = (await officer.get(`/arrests/${a2.id}`)).body as {
          personId?: string;
          person?: { id: string };
        };
        const personId = arrest.personId ?? arrest.person?.id;
        if (personId) {
          const current = (await officer.get(`/persons/${personId}`)).body;
          await write(
            'patch shared arrest person',
            officer.patch(`/persons/${personId}`, {
              version: current.version,
              names: current.names,
              nationalities: current.nationalities,
              notes: n('arrestpersonnotesafter'),
            }),
          );
        }
      }

      // 4. Information requests KR→MY: the number in each text, in what they name, and after sending.
      const ir = '/information-requests';
      await krRequest(ir, 'information-request', irBody('MY', krMy, { subject: n('irsubject') }));
      await krRequest(ir, 'information-request', irBody('MY', krMy, { questions: [n('irquestion')] }));
      await krRequest(ir, 'information-request', irBody('MY', krMy, { identifiers: { phones: [value] } }));
      await krRequest(
        ir,
        'information-request',
        irBody('MY', krMy, {
          identifiers: { urls: [`https://wa.me/${value.slice(1)}`], compounds: [n('ircompound')] },
        }),
      );
      if (p1) await krRequest(ir, 'information-request', irBody('MY', krMy, { personIds: [p1.id] }));
      if (c1) await krRequest(ir, 'information-request', irBody('MY', krMy, { caseId: c1.id }));
      await krRequest(
        ir,
        'information-request',
        irBody('KH', iib, { subject: n('irsubjectalso'), alsoTo: ['MY'] }),
      );
      if (p1)
        await krRequest(ir, 'information-request', irBody('KH', iib, { personIds: [p1.id], alsoTo: ['MY'] }));
      const multi = await krRequest(ir, 'information-request', irBody('KH', iib, { alsoTo: ['MY'] }));
      if (multi) {
        await write(
          'KR message, multilateral',
          officer.post(`${ir}/${multi.id}/messages`, { body: n('multimessage') }),
        );
        await file(officer, `${ir}/${multi.id}/attachments`, n('multifilename'));
      }
      await krRequest(ir, 'information-request', irBody('MY', krMy), n('irstepcomment'));
      const irAfter = await krRequest(ir, 'information-request', irBody('MY', krMy));
      if (irAfter) {
        await write('KR message', officer.post(`${ir}/${irAfter.id}/messages`, { body: n('irmessage') }));
        await file(officer, `${ir}/${irAfter.id}/attachments`, n('irfilename'));
        await withdrawFile(officer, `${ir}/${irAfter.id}/attachments`, n('irwithdrawal'));
      }
      const irDraft = created(
        await write('KR draft with file', officer.post(ir, irBody('MY', krMy))),
        'information-request',
      );
      if (irDraft) {
        await file(officer, `${ir}/${irDraft.id}/attachments`, n('irdraftfilename'));
        await step(officer, ir, irDraft.id, 'submit');
        await step(liaison, ir, irDraft.id, 'approve');
      }
      const irWithdrawn = await krRequest(ir, 'information-request', irBody('MY', krMy));
      if (irWithdrawn)
        await step(officer, ir, irWithdrawn.id, 'withdraw', { comment: n('irwithdrawcomment') });
      const irClosed = await krRequest(ir, 'information-request', irBody('MY', krMy));
      if (irClosed) {
        await step(my.liaison, ir, irClosed.id, 'accept');
        await step(my.liaison, ir, irClosed.id, 'fulfil', { findings: { summary: 'None known' } });
        await step(officer, ir, irClosed.id, 'close', { comment: n('irclosecomment') });
      }

      // 4b. A plain person and a plain case a sent request to MY names, written on afterwards.
      const pR = await plainPerson('CHOI Named');
      const cR = created(
        await write('plain case', officer.post('/cases', { title: 'Case a request names' })),
        'case',
      );
      if (pR && cR) {
        await krRequest(ir, 'information-request', irBody('MY', krMy, { personIds: [pR.id], caseId: cR.id }));
        await krRequest('/asset-freeze-requests', 'asset-freeze-request', {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Freeze, in a case',
          caseId: cR.id,
          targets: [freezeTarget({ personId: pR.id })],
        });
        const current = (await officer.get(`/persons/${pR.id}`)).body;
        await write(
          'patch person a sent request names',
          officer.patch(`/persons/${pR.id}`, {
            version: current.version,
            names: [...current.names, { full: n('namedpersonalias'), script: 'latin', kind: 'alias' }],
            notes: n('namedpersonnotes'),
          }),
        );
        await file(officer, `/persons/${pR.id}/attachments`, n('namedpersonfilename'));
        await withdrawFile(officer, `/persons/${pR.id}/attachments`, n('namedpersonwithdrawal'));
        await write(
          'patch case a sent request names',
          officer.patch(`/cases/${cR.id}`, {
            version: await version(officer, `/cases/${cR.id}`),
            title: n('namedcasetitle'),
            summary: n('namedcasesummary'),
          }),
        );
        await file(officer, `/cases/${cR.id}/attachments`, n('namedcasefilename'));
        await withdrawFile(officer, `/cases/${cR.id}/attachments`, n('namedcasewithdrawal'));
      }

      // 4c. Records whose only number is in their files (names, withdrawal reasons), sent to MY by every
      //     path that carries them: a case holding them, an arrest of them, requests naming them.
      const filesOnly = async (tag: string) => {
        const p = await plainPerson(`YOON ${tag}`);
        if (!p) return undefined;
        await file(officer, `/persons/${p.id}/attachments`, n(`fileonlyname${tag.toLowerCase()}`));
        await withdrawFile(
          officer,
          `/persons/${p.id}/attachments`,
          n(`fileonlywithdrawal${tag.toLowerCase()}`),
        );
        return p;
      };
      const pFa = await filesOnly('Case');
      if (pFa) {
        const c3 = created(
          await write(
            'case of a person with numbered files',
            officer.post('/cases', { title: 'Plain case', persons: [{ personId: pFa.id, role: 'suspect' }] }),
          ),
          'case',
        );
        if (c3)
          await write(
            'share case (person files)',
            liaison.post(`/cases/${c3.id}/shares`, { countryCode: 'MY' }),
          );
      }
      const pFb = await filesOnly('Arrest');
      if (pFb) {
        const aF = await plainArrest('KR', { person: undefined, personId: pFb.id });
        if (aF)
          await write(
            'share arrest (person files)',
            liaison.post(`/arrests/${aF.id}/shares`, { countryCode: 'MY' }),
          );
      }
      const pFc = await filesOnly('Repatriated');
      if (pFc) {
        const aR = await plainArrest('MY', { person: undefined, personId: pFc.id });
        if (aR)
          await krRequest('/repatriation-requests', 'repatriation-request', {
            frameworkId: krMy,
            targetCountry: 'MY',
            priority: 'urgent',
            handlingCode: 'AMBER',
            subject: 'Return of a national',
            arrestIds: [aR.id],
          });
      }
      const pFd = await filesOnly('Named');
      if (pFd) await krRequest(ir, 'information-request', irBody('MY', krMy, { personIds: [pFd.id] }));
      const pFe = await filesOnly('Holder');
      if (pFe)
        await krRequest('/asset-freeze-requests', 'asset-freeze-request', {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Freeze, the holder named',
          targets: [freezeTarget({ personId: pFe.id })],
        });
      // An arrest with numbered files, in a case then shared.
      const c4 = created(
        await write('plain case', officer.post('/cases', { title: 'Case with an arrest' })),
        'case',
      );
      if (c4) {
        const aC = await plainArrest('KR', { caseId: c4.id });
        if (aC) {
          await file(officer, `/arrests/${aC.id}/attachments`, n('casearrestfilename'));
          await withdrawFile(officer, `/arrests/${aC.id}/attachments`, n('casearrestwithdrawal'));
        }
        await write(
          'share case (arrest files)',
          liaison.post(`/cases/${c4.id}/shares`, { countryCode: 'MY' }),
        );
      }
      // A new version of a file of a shared case, named with the number.
      if (c2) {
        const first = created(await file(officer, `/cases/${c2.id}/attachments`, 'plain-first.txt'));
        if (first)
          await write(
            'supersede a shared case file',
            upload(
              t,
              officer,
              `/cases/${c2.id}/attachments`,
              Buffer.from('A second note\n'),
              n('supersedingname'),
              {
                'X-Supersedes': first.id,
              },
            ),
          );
      }

      // 5. Information requests MY→KR, answered by KR with the number.
      const fromMy = () => irBody('KR', krMy, { subject: 'Who is this?' });
      const m1 = await myRequest(ir, 'information-request', fromMy(), false);
      await step(liaison, ir, m1.id, 'accept', { comment: n('acceptcomment') });
      await write(
        'KR message on MY request',
        officer.post(`${ir}/${m1.id}/messages`, { body: n('myirmessage') }),
      );
      await step(liaison, ir, m1.id, 'assign', {
        assigneeId: await tf.userId('kr.officer'),
        comment: n('assigncomment'),
      });
      await file(officer, `${ir}/${m1.id}/attachments`, n('myirfilename'));
      await withdrawFile(officer, `${ir}/${m1.id}/attachments`, n('myirwithdrawal'));
      await step(liaison, ir, m1.id, 'fulfil', { findings: { summary: n('findingssummary') } });
      const m2 = await myRequest(ir, 'information-request', fromMy(), false);
      await step(liaison, ir, m2.id, 'reject', { reason: n('rejectreason') });
      const m3 = await myRequest(ir, 'information-request', fromMy());
      await step(liaison, ir, m3.id, 'fulfil', {
        findings: {
          summary: 'Found him',
          persons: [
            { names: [{ full: 'KIM Answer', script: 'latin', kind: 'primary' }], notes: n('findingsnotes') },
          ],
        },
      });
      const m4 = await myRequest(ir, 'information-request', fromMy());
      await step(liaison, ir, m4.id, 'fulfil', {
        findings: { summary: 'Found', identifiers: { phones: [value] } },
      });
      const m5 = await myRequest(ir, 'information-request', fromMy());
      await step(liaison, ir, m5.id, 'fulfil', {
        findings: { summary: 'Found' },
        comment: n('fulfilcomment'),
      });
      const m6 = await myRequest(ir, 'information-request', fromMy());
      await step(liaison, ir, m6.id, 'fulfil', {
        findings: {
          summary: 'Found',
          persons: [{ names: [{ full: 'KIM Answer', script: 'latin', kind: 'primary' }], phones: [value] }],
        },
      });

      // 6. Asset freezes both ways.
      const af = '/asset-freeze-requests';
      const freeze = (target: string, framework: string, fields: object = {}, targetFields: object = {}) => ({
        frameworkId: framework,
        targetCountry: target,
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Freeze the mule account',
        targets: [freezeTarget(targetFields)],
        ...fields,
      });
      await krRequest(af, 'asset-freeze-request', freeze('MY', krMy, { subject: n('afsubject') }));
      await krRequest(af, 'asset-freeze-request', freeze('MY', krMy, {}, { holderName: n('afholder') }));
      await krRequest(
        af,
        'asset-freeze-request',
        freeze('MY', krMy, {}, { grounds: { summary: n('afgrounds') } }),
      );
      await krRequest(
        af,
        'asset-freeze-request',
        freeze('MY', krMy, {}, { institutionName: n('afinstitution') }),
      );
      if (c1) await krRequest(af, 'asset-freeze-request', freeze('MY', krMy, { caseId: c1.id }));
      // A file on a draft's target, named with the number, then the draft sent.
      const afDraft = created(
        await write('KR freeze draft with file', officer.post(af, freeze('MY', krMy))),
        'asset-freeze-request',
      );
      if (afDraft) {
        const targetId = ((await officer.get(`${af}/${afDraft.id}`)).body.targets?.[0]?.id ?? '') as string;
        if (targetId)
          await file(officer, `${af}/${afDraft.id}/targets/${targetId}/attachments`, n('afdraftfilename'));
        await step(officer, af, afDraft.id, 'submit');
        await step(liaison, af, afDraft.id, 'approve');
      }
      const afAfter = await krRequest(af, 'asset-freeze-request', freeze('MY', krMy));
      if (afAfter) {
        await write(
          'KR freeze message',
          officer.post(`${af}/${afAfter.id}/messages`, { body: n('afmessage') }),
        );
        const targetId = ((await officer.get(`${af}/${afAfter.id}`)).body.targets?.[0]?.id ?? '') as string;
        if (targetId) {
          await file(officer, `${af}/${afAfter.id}/targets/${targetId}/attachments`, n('aftargetfilename'));
          await withdrawFile(
            officer,
            `${af}/${afAfter.id}/targets/${targetId}/attachments`,
            n('aftargetwithdrawal'),
          );
        }
      }
      const myFreeze = async () => {
        const r = await myRequest(af, 'asset-freeze-request', freeze('KR', krMy));
        const targetId = ((await liaison.get(`${af}/${r.id}`)).body.targets?.[0]?.id ?? '') as string;
        return { id: r.id, target: `${af}/${r.id}/targets/${targetId}` };
      };
      const f1 = await myFreeze();
      await step(liaison, af, f1.id, 'assign', { assigneeId: await tf.userId('kr.officer') });
      await stepAt(liaison, `${f1.target}/freeze`, `${af}/${f1.id}`, {
        outcome: 'frozen',
        amount: money,
        institutionReference: n('institutionreference'),
        comment: n('freezecomment'),
      });
      await stepAt(liaison, `${f1.target}/recover`, `${af}/${f1.id}`, {
        amount: { amount: '10.00', currency: 'MYR' },
        disposition: 'seized',
        decision: n('recoverdecision'),
      });
      await stepAt(liaison, `${f1.target}/return`, `${af}/${f1.id}`, {
        amount: { amount: '5.00', currency: 'MYR' },
        recipient: { name: n('returnrecipient') },
        decision: n('returndecision'),
      });
      await stepAt(liaison, `${f1.target}/release`, `${af}/${f1.id}`, {
        amount: { amount: '5.00', currency: 'MYR' },
        reason: n('releasereason'),
      });
      await stepAt(liaison, `${f1.target}/close-out`, `${af}/${f1.id}`, {
        reason: n('closeoutreason'),
      });
      await file(officer, `${f1.target}/attachments`, n('myaftargetfilename'));
      await write(
        'KR message on MY freeze',
        liaison.post(`${af}/${f1.id}/messages`, { body: n('myafmessage') }),
      );

      // 7. Repatriation of MY nationals.
      const rp = '/repatriation-requests';
      const repatriation = (arrestIds: string[], fields: object = {}) => ({
        frameworkId: krMy,
        targetCountry: 'MY',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Return of a national',
        arrestIds,
        ...fields,
      });
      const rA = await plainArrest('MY', { grounds: n('rparrestgrounds'), place: n('rparrestplace') });
      if (rA) await krRequest(rp, 'repatriation-request', repatriation([rA.id]));
      const rB = await plainArrest('MY', {
        person: {
          names: [{ full: 'TAN Returnee', script: 'latin', kind: 'primary' }],
          nationalities: ['MY'],
          notes: n('rppersonnotes'),
        },
      });
      if (rB) await krRequest(rp, 'repatriation-request', repatriation([rB.id]));
      const rC = await plainArrest('MY');
      if (rC) {
        await step(officer, '/arrests', rC.id, 'custody', {
          status: 'charged',
          reason: n('rpcustodybefore'),
        });
        await file(officer, `/arrests/${rC.id}/attachments`, n('rparrestfilename'));
        await krRequest(rp, 'repatriation-request', repatriation([rC.id]));
      }
      const rD = await plainArrest('MY');
      if (rD) await krRequest(rp, 'repatriation-request', repatriation([rD.id], { subject: n('rpsubject') }));
      const rE = await plainArrest('MY');
      if (rE) {
        const sent = await krRequest(rp, 'repatriation-request', repatriation([rE.id]));
        if (sent) {
          await write(
            'KR repatriation message',
            officer.post(`${rp}/${sent.id}/messages`, { body: n('rpmessage') }),
          );
          await step(officer, '/arrests', rE.id, 'custody', {
            status: 'transferred',
            reason: n('rpcustodyafter'),
          });
          await file(officer, `/arrests/${rE.id}/attachments`, n('rparrestfilenameafter'));
          const arrest = (await officer.get(`/arrests/${rE.id}`)).body as { personId?: string };
          if (arrest.personId) {
            const current = (await officer.get(`/persons/${arrest.personId}`)).body;
            await write(
              'patch repatriated person',
              officer.patch(`/persons/${arrest.personId}`, {
                version: current.version,
                names: current.names,
                nationalities: current.nationalities,
                notes: n('rppersonnotesafter'),
              }),
            );
          }
          await step(my.liaison, rp, sent.id, 'accept');
          await step(officer, rp, sent.id, 'schedule', {
            departureAt: '2027-01-01T01:00:00Z',
            departurePoint: n('departurepoint'),
            arrivalPoint: 'KUL',
            carrier: 'MH',
            sendingEscorts: [n('sendingescort')],
            receivingEscorts: ['Officer B'],
            notes: n('schedulenotes'),
          });
          await step(liaison, rp, sent.id, 'schedule', {
            departureAt: '2027-01-01T01:00:00Z',
            departurePoint: 'ICN',
            arrivalPoint: 'KUL',
            carrier: 'MH',
            flightNumber: 'MH 67',
            sendingEscorts: ['Officer A'],
            receivingEscorts: ['Officer B'],
            notes: n('schedulenotesliaison'),
          });
          await step(liaison, rp, sent.id, 'handover', {
            handovers: [
              {
                arrestId: rE.id,
                handedOverBy: n('handedoverby'),
                receivedBy: 'Officer B',
                handedOverAt: '2026-03-21T05:00:00Z',
                place: n('handoverplace'),
              },
            ],
          });
        }
      }

      // MY arrested a KR national and asks KR to take them back: KR's answers carry the number.
      const myArrest = created(
        await write(
          'MY arrest of a KR national',
          my.officer.post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'KLIA',
            grounds: 'Fraud',
            arrestingAgency: 'PDRM',
            nationality: 'KR',
            person: {
              names: [{ full: 'KIM Returnee', script: 'latin', kind: 'primary' }],
              nationalities: ['KR'],
            },
          }),
        ),
        'arrest',
      );
      if (myArrest) {
        const back = await myRequest(
          rp,
          'repatriation-request',
          { ...repatriation([myArrest.id]), targetCountry: 'KR' },
          false,
        );
        await step(liaison, rp, back.id, 'accept', { comment: n('rpacceptcomment') });
        await write(
          'KR message on MY repatriation',
          officer.post(`${rp}/${back.id}/messages`, { body: n('myrpmessage') }),
        );
        await step(liaison, rp, back.id, 'schedule', {
          departureAt: '2027-01-01T01:00:00Z',
          departurePoint: 'KUL',
          arrivalPoint: n('arrivalpoint'),
          carrier: 'KE',
          sendingEscorts: ['Officer A'],
          receivingEscorts: [n('receivingescort')],
          notes: n('myrpschedulenotes'),
        });
      }

      // 8. Blacklist proposals KR→MY, and MY's to KR decided by KR.
      const entry = (fields: object = {}) => ({
        person: { names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
        grounds: 'Recruiter for the compound.',
        groundsSummary: 'Recruiter',
        ...fields,
      });
      const proposal = (fields: object = {}, entryFields: object = {}) => ({
        frameworkId: krMy,
        banningCountry: 'MY',
        handlingCode: 'AMBER',
        subject: 'Recruiters',
        entries: [entry(entryFields)],
        ...fields,
      });
      const bp = '/blacklist-proposals';
      const propose = async (body: object, comment?: string) => {
        const draft = created(
          await write('KR blacklist proposal', officer.post('/blacklist-entries/batch', body)),
          'blacklist-proposal',
        );
        if (!draft) return undefined;
        await step(officer, bp, draft.id, 'submit', comment ? { comment } : {});
        await step(liaison, bp, draft.id, 'approve', comment ? { comment } : {});
        return draft;
      };
      // A file on a draft proposal's entry, named with the number, then the proposal sent.
      const bpDraft = created(
        await write('KR blacklist draft with file', officer.post('/blacklist-entries/batch', proposal())),
        'blacklist-proposal',
      );
      if (bpDraft) {
        const entries = ((await officer.get(`/blacklist-entries?proposalId=${bpDraft.id}`)).body.items ??
          []) as { id: string }[];
        for (const e of entries) {
          records.push({ kind: 'blacklist-entry', id: e.id });
          await file(officer, `/blacklist-entries/${e.id}/attachments`, n('bpdraftentryfilename'));
        }
        await step(officer, bp, bpDraft.id, 'submit');
        await step(liaison, bp, bpDraft.id, 'approve');
      }
      await propose(proposal({ subject: n('bpsubject') }));
      await propose(
        proposal({ frameworkId: iib, banningCountry: 'KH', alsoTo: ['MY'], subject: n('bpsubjectmulti') }),
      );
      await propose(
        proposal(
          { frameworkId: iib, banningCountry: 'KH', alsoTo: ['MY'] },
          { grounds: n('bpgroundsmulti') },
        ),
      );
      await propose(proposal({}, { grounds: n('bpgrounds') }));
      await propose(proposal({}, { groundsSummary: n('bpsummary') }));
      await propose(
        proposal(
          {},
          {
            person: {
              names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }],
              nationalities: ['KH'],
              notes: n('bppersonnotes'),
              phones: [value],
            },
          },
        ),
      );
      if (p1) await propose(proposal({}, { person: undefined, personId: p1.id }));
      const pFf = await filesOnly('Blacklisted');
      if (pFf) await propose(proposal({}, { person: undefined, personId: pFf.id }));
      if (c1) await propose(proposal({}, { caseId: c1.id }));
      await propose(proposal(), n('bpstepcomment'));
      const bpAfter = await propose(proposal());
      if (bpAfter) {
        await write(
          'KR proposal message',
          officer.post(`${bp}/${bpAfter.id}/messages`, { body: n('bpmessage') }),
        );
        await step(my.liaison, bp, bpAfter.id, 'accept');
        const entries = (await officer.get(`/blacklist-entries?proposalId=${bpAfter.id}`)).body.items ?? [];
        for (const e of entries as { id: string; personId: string }[]) {
          records.push({ kind: 'blacklist-entry', id: e.id });
          await file(officer, `/blacklist-entries/${e.id}/attachments`, n('bpentryfilename'));
          // MY activates it; KR then edits the person (an amendment goes to MY).
          await write(
            'MY activates',
            my.liaison.post(`/blacklist-entries/${e.id}/activate`, {
              version: await version(my.liaison, `/blacklist-entries/${e.id}`),
              legalBasis: 'Immigration Act s. 12',
              expiresOn: '2030-12-31',
            }),
          );
          const current = (await officer.get(`/persons/${e.personId}`)).body;
          await write(
            'patch proposed person',
            officer.patch(`/persons/${e.personId}`, {
              version: current.version,
              names: [...(current.names ?? []), { full: n('bpamendalias'), script: 'latin', kind: 'alias' }],
              nationalities: current.nationalities,
              notes: n('bpamendnotes'),
            }),
          );
        }
      }
      // MY proposes entries to KR; KR activates one, rejects one, extends and lifts one.
      const myProposal = created(
        await write(
          'MY proposal',
          my.officer.post('/blacklist-entries/batch', {
            frameworkId: krMy,
            banningCountry: 'KR',
            handlingCode: 'AMBER',
            subject: 'Recruiters seen in KL',
            entries: [entry(), entry(), entry()],
          }),
        ),
        'blacklist-proposal',
      );
      if (myProposal) {
        await step(my.officer, bp, myProposal.id, 'submit');
        await step(my.liaison, bp, myProposal.id, 'approve');
        await step(liaison, bp, myProposal.id, 'accept', { comment: n('bpacceptcomment') });
        await write(
          'KR message on MY proposal',
          liaison.post(`${bp}/${myProposal.id}/messages`, { body: n('mybpmessage') }),
        );
        const entries = ((await liaison.get(`/blacklist-entries?proposalId=${myProposal.id}`)).body.items ??
          []) as { id: string }[];
        const [e1, e2, e3] = entries;
        for (const e of entries) records.push({ kind: 'blacklist-entry', id: e.id });
        if (e1)
          await write(
            'KR activates',
            liaison.post(`/blacklist-entries/${e1.id}/activate`, {
              version: await version(liaison, `/blacklist-entries/${e1.id}`),
              legalBasis: n('legalbasis'),
              expiresOn: '2030-12-31',
            }),
          );
        if (e2) await step(liaison, '/blacklist-entries', e2.id, 'reject', { reason: n('bprejectreason') });
        if (e3) {
          await write(
            'KR activates plain',
            liaison.post(`/blacklist-entries/${e3.id}/activate`, {
              version: await version(liaison, `/blacklist-entries/${e3.id}`),
              legalBasis: 'Immigration Act s. 12',
              expiresOn: '2030-12-31',
            }),
          );
          await step(liaison, '/blacklist-entries', e3.id, 'extend', {
            expiresOn: '2031-12-31',
            reason: n('extendreason'),
          });
          await step(liaison, '/blacklist-entries', e3.id, 'lift', { reason: n('liftreason') });
        }
      }

      // 9. A release request to KH naming MY as recipient (it goes to KH, the originator, only).
      const rr = await krRequest('/release-requests', 'release-request', {
        frameworkId: krKh,
        targetCountry: 'KH',
        recipientCountry: 'MY',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: n('rrsubject'),
        personIds: [amberPerson],
      });
      if (rr)
        await write(
          'KR release message',
          officer.post(`/release-requests/${rr.id}/messages`, { body: n('rrmessage') }),
        );

      // 10. An identifier check asking MY about the number.
      // (The check itself is answered without the number leaving; a follow-up request to MY carries it.)
      for (const identifier of [
        { kind: 'phone', value },
        { kind: 'phone', value: forms[1] },
      ]) {
        const check = created(
          await write(
            'identifier check to MY',
            officer.post('/identifier-checks', { partners: ['MY'], identifiers: [identifier] }),
          ),
          'identifier-check',
        );
        if (!check) continue;
        const followUp = await write(
          'identifier check follow-up to MY',
          officer.post(`/identifier-checks/${check.id}/follow-ups`, { partnerCountry: 'MY', position: 0 }),
        );
        const draft = created(followUp, 'information-request');
        if (draft && (followUp.body as { status?: string }).status === 'draft') {
          await step(officer, ir, draft.id, 'submit');
          await step(liaison, ir, draft.id, 'approve');
        }
      }
    }
    const ir = '/information-requests';
    // 11. Arrests in bulk: a JSON batch and a CSV import, their texts holding the number, then the
    //     arrests shared, repatriated (MY nationals), or recorded straight into a case shared with MY.
    const bulkCase = created(
      await write(
        'plain case for bulk arrests',
        officer.post('/cases', { title: 'Raid case, shared first' }),
      ),
      'case',
    );
    if (bulkCase)
      await write('share raid case', liaison.post(`/cases/${bulkCase.id}/shares`, { countryCode: 'MY' }));
    let raid = 0;
    const bulkRows = (res: request.Response) => {
      const rows = ((res.body as { rows?: { arrestId: string; personId: string; nationality: string }[] })
        .rows ?? []) as { arrestId: string; personId: string; nationality: string }[];
      for (const r of rows) {
        records.push({ kind: 'arrest', id: r.arrestId });
        records.push({ kind: 'person', id: r.personId });
      }
      return rows;
    };
    const sendBulk = async (
      label: string,
      rows: { arrestId: string; personId: string; nationality: string }[],
    ) => {
      for (const r of rows.filter((x) => x.nationality === 'KR'))
        await write(
          `share ${label} arrest`,
          liaison.post(`/arrests/${r.arrestId}/shares`, { countryCode: 'MY' }),
        );
      const my = rows.filter((x) => x.nationality === 'MY').map((x) => x.arrestId);
      if (my.length)
        await krRequest('/repatriation-requests', 'repatriation-request', {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: `Return of ${label} nationals`,
          arrestIds: my,
        });
      // Their persons put in a case then shared with MY (an arrest joins a case only when recorded).
      const kr = rows.filter((x) => x.nationality === 'KR').map((x) => x.personId);
      if (kr.length) {
        const c = created(
          await write(
            `case of ${label} persons`,
            officer.post('/cases', {
              title: `Case of the ${label}`,
              persons: kr.map((personId) => ({ personId, role: 'suspect' })),
            }),
          ),
          'case',
        );
        if (c)
          await write(`share case of ${label}`, liaison.post(`/cases/${c.id}/shares`, { countryCode: 'MY' }));
      }
    };
    for (const [i, { value, forms }] of received.entries()) {
      let turn = 0;
      const n = (marker: string) => `${marker} ${forms[turn++ % forms.length]}`;
      const row = (nationality: string, fields: object = {}, person: object = {}) => ({
        arrestedAt: `2026-04-${String(1 + (raid++ % 28)).padStart(2, '0')}T02:30:00Z`,
        place: 'Incheon',
        grounds: 'Fraud',
        arrestingAgency: 'KNP',
        nationality,
        person: {
          names: [{ full: `PARK Raid ${raid}`, script: 'latin', kind: 'primary' }],
          nationalities: [nationality],
          ...person,
        },
        ...fields,
      });
      const batch = (label: string, arrests: object[]) =>
        write(`arrest batch ${label}`, officer.post('/arrests/batch?allowDuplicates=true', { arrests }));
      const texts = await batch('texts', [
        row('KR', { place: n('batchplace'), province: n('batchprovince'), district: n('batchdistrict') }),
        row('KR', { operation: n('batchoperation'), grounds: n('batchgrounds') }),
        row('KR', { arrestingAgency: n('batchagency') }),
        row('KR', {}, { notes: n('batchpersonnotes'), phones: [value] }),
        row('KR', {}, { names: [{ full: n('batchpersonname'), script: 'latin', kind: 'primary' }] }),
        row('MY', { grounds: n('batchrpgrounds') }, { notes: n('batchrppersonnotes') }),
      ]);
      await sendBulk('batch', bulkRows(texts));
      // Each text alone in its batch (one refused row refuses its whole batch: all or nothing); for the
      // AMBER number only (runtime).
      for (const one of i > 0
        ? []
        : [
            row('KR', { place: n('batchoneplace') }),
            row('KR', {}, { notes: n('batchonenotes') }),
            row('MY', { grounds: n('batchonerpgrounds') }),
          ])
        await sendBulk('batch one', bulkRows(await batch('one', [one])));
      if (bulkCase)
        bulkRows(
          await batch('into shared case', [
            row('KR', { caseId: bulkCase.id, grounds: n('batchincasegrounds') }),
            row('KR', { caseId: bulkCase.id }, { notes: n('batchincasenotes'), phones: [value] }),
          ]),
        );
      // The same as CSV.
      const header = [
        'arrested_at',
        'place',
        'province',
        'district',
        'operation',
        'grounds',
        'arresting_agency',
        'nationality',
        'full_name',
        'latin_name',
        'document_type',
        'document_number',
        'document_country',
        'case_id',
      ];
      const csvRow = (nationality: string, cells: Record<string, string>) => {
        const all: Record<string, string> = {
          arrested_at: `2026-05-${String(1 + (raid++ % 28)).padStart(2, '0')}T02:30:00Z`,
          place: 'Incheon',
          grounds: 'Fraud',
          arresting_agency: 'KNP',
          nationality,
          full_name: `LEE Import ${raid}`,
          ...cells,
        };
        return header.map((h) => csvCell(all[h] ?? ''));
      };
      const importRows = async (label: string, rows: string[][]) =>
        bulkRows(
          await write(
            `arrest import ${label}`,
            request(t.server)
              .post('/api/v1/arrests/import?allowDuplicates=true')
              .set('Authorization', `Bearer ${officer.tokens.accessToken}`)
              .set('Content-Type', 'text/csv; charset=utf-8')
              .send(Buffer.from([header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8')),
          ),
        );
      await sendBulk(
        'import',
        await importRows('texts', [
          csvRow('KR', {
            place: n('importplace'),
            province: n('importprovince'),
            district: n('importdistrict'),
          }),
          csvRow('KR', { operation: n('importoperation'), grounds: n('importgrounds') }),
          csvRow('KR', { arresting_agency: n('importagency'), latin_name: n('importlatinname') }),
          csvRow('KR', { full_name: n('importfullname') }),
          csvRow('KR', {
            document_type: 'passport',
            document_number: value.replace(/\D/g, ''),
            document_country: 'KR',
          }),
          csvRow('MY', { grounds: n('importrpgrounds') }),
        ]),
      );
      for (const one of i > 0
        ? []
        : [csvRow('KR', { place: n('importoneplace') }), csvRow('MY', { grounds: n('importonerp') })])
        await sendBulk('import one', await importRows('one', [one]));
      if (bulkCase)
        await importRows('into shared case', [
          csvRow('KR', { case_id: bulkCase.id, grounds: n('importincasegrounds') }),
          csvRow('KR', { case_id: bulkCase.id, full_name: n('importincasename') }),
        ]);
    }

    // 12. The number in other scripts' digits, mixed with ASCII, and with format characters between
    //     digits (the rule reads any script's digits and drops what takes no place): written into a
    //     case, a person, an arrest and a request, each then sent to MY.
    // Each script with one number in turn (AMBER, AMBER+STRICT, RED, …), in its three written forms.
    for (const [i, [script, write1]] of SCRIPTS.entries()) {
      const { forms } = received[i % 3];
      let turn = 0;
      const n = (marker: string) => `${marker}${script} ${write1(forms[turn++ % forms.length])}`;
      const p = await plainPerson('HAN Script', { notes: n('scriptnotes') });
      const c = created(
        await write(
          `case ${script}`,
          officer.post('/cases', {
            title: n('scripttitle'),
            summary: n('scriptsummary'),
            persons: p ? [{ personId: p.id, role: 'suspect' }] : [],
          }),
        ),
        'case',
      );
      if (c)
        await write(`share case ${script}`, liaison.post(`/cases/${c.id}/shares`, { countryCode: 'MY' }));
      const a = await plainArrest('KR', { place: n('scriptplace'), grounds: n('scriptgrounds') });
      if (a)
        await write(`share arrest ${script}`, liaison.post(`/arrests/${a.id}/shares`, { countryCode: 'MY' }));
      await krRequest(
        ir,
        'information-request',
        irBody('MY', krMy, { subject: n('scriptsubject'), questions: [n('scriptquestion')] }),
      );
      const afterSend = await krRequest(ir, 'information-request', irBody('MY', krMy));
      if (afterSend)
        await write(
          `message ${script}`,
          officer.post(`${ir}/${afterSend.id}/messages`, { body: n('scriptmessage') }),
        );
    }

    // 13. After consent: KH consents to its AMBER person (a number of its own, `consented`) going to MY;
    //     KR shares it. A number KH adds to the person after the consent, and the numbers of section 1
    //     (never consented to) written on the consented person or its case, must still not reach MY.
    const consented = '+85588800444';
    received.push(receivedNumber('AMBER, added after consent', '+85577700555'));
    const later = received.at(-1)!;
    const pC = await personKhGaveKr(tf, 'AMBER', 'SOK Consent', { phones: [consented] });
    records.push({ kind: 'person', id: pC });
    consentedPerson = pC;
    const rrC = await krRequest('/release-requests', 'release-request', {
      frameworkId: krKh,
      targetCountry: 'KH',
      recipientCountry: 'MY',
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: 'May SOK Consent go to Malaysia?',
      personIds: [pC],
    });
    if (rrC) await step(tf['kh.liaison'], '/release-requests', rrC.id, 'accept');
    const caseC = created(
      await write(
        'case of the consented person',
        officer.post('/cases', { title: 'Consented case', persons: [{ personId: pC, role: 'suspect' }] }),
      ),
      'case',
    );
    if (caseC)
      await write('share consented case', liaison.post(`/cases/${caseC.id}/shares`, { countryCode: 'MY' }));
    // KH (the owner) adds a number to its person after the consent, in its phones and its notes.
    const khPerson = (await tf['kh.officer'].get(`/persons/${pC}`)).body;
    await write(
      'KH adds a number after consent',
      tf['kh.officer'].patch(`/persons/${pC}`, {
        version: khPerson.version,
        names: khPerson.names,
        nationalities: khPerson.nationalities,
        phones: [...(khPerson.phones ?? []), later.value],
        notes: `consentlater ${later.forms[1]}`,
      }),
    );
    // KR writes the never-consented numbers on the consented person's case (the person is KH's: only
    // KH edits it or attaches files to it).
    for (const { forms } of received.slice(0, 3)) {
      let turn = 0;
      const n = (marker: string) => `${marker} ${forms[turn++ % forms.length]}`;
      if (caseC) {
        await write(
          'KR writes on the consented case',
          officer.patch(`/cases/${caseC.id}`, {
            version: await version(officer, `/cases/${caseC.id}`),
            summary: n('consentcasesummary'),
          }),
        );
        await file(officer, `/cases/${caseC.id}/attachments`, n('consentcasefilename'));
      }
    }
    // The consented person sent again, by other paths, after KH's addition.
    const caseC2 = created(
      await write(
        'second case of the consented person',
        officer.post('/cases', { title: 'Consented, again', persons: [{ personId: pC, role: 'suspect' }] }),
      ),
      'case',
    );
    if (caseC2)
      await write(
        'share second consented case',
        liaison.post(`/cases/${caseC2.id}/shares`, { countryCode: 'MY' }),
      );
    const aC = await plainArrest('KR', { person: undefined, personId: pC });
    if (aC)
      await write(
        'share arrest of consented',
        liaison.post(`/arrests/${aC.id}/shares`, { countryCode: 'MY' }),
      );
    await krRequest(ir, 'information-request', irBody('MY', krMy, { personIds: [pC] }));

    // 14. Identifier-check follow-ups: KH gives KR two more numbers (AMBER, RED) that MY also holds, of
    //     its own (so MY's answer is a hit, and MY's reads legitimately show them on MY's own person:
    //     not searched by the crawl). KR follows the hit up with a draft to MY and sends it: MY must
    //     never read KR's follow-up (checked by id after the crawl).
    await write(
      'MY person holding the numbers itself',
      my.officer.post('/persons', {
        names: [{ full: 'LIM Own', script: 'latin', kind: 'primary' }],
        phones: followUpNumbers.map((f) => f.value),
      }),
    );
    for (const f of followUpNumbers) await identifiersKhGaveKr(tf, f.code, { phones: [f.value] });
    for (const f of followUpNumbers)
      for (const value of [
        f.value,
        `+855 ${f.value.slice(4, 6)} ${f.value.slice(6, 9)} ${f.value.slice(9)}`,
      ]) {
        const check = created(
          await write(
            `identifier check to MY (${f.code}, MY holds it)`,
            officer.post('/identifier-checks', { partners: ['MY'], identifiers: [{ kind: 'phone', value }] }),
          ),
          'identifier-check',
        );
        if (!check) continue;
        const answer = (check as unknown as { results?: { answers?: { answer: string }[] }[] }).results?.[0]
          ?.answers?.[0]?.answer;
        writes.push(`--- check ${value}: MY answers ${answer}`);
        const followUp = await write(
          `identifier check follow-up to MY (${f.code})`,
          officer.post(`/identifier-checks/${check.id}/follow-ups`, { partnerCountry: 'MY', position: 0 }),
        );
        const draft = created(followUp, 'information-request');
        if (draft) {
          followUpDrafts.push(draft.id);
          await write(
            'follow-up message',
            officer.post(`${ir}/${draft.id}/messages`, { body: `followupmessage ${value}` }),
          );
          await step(officer, ir, draft.id, 'submit');
          await step(liaison, ir, draft.id, 'approve');
        }
      }
    // A follow-up of a number MY holds and nobody gave KR (drafted), on which KR then writes the numbers
    // of section 1 (a message and a file on the draft) before sending it.
    const plainHit = '+60123000999';
    await write(
      'MY person holding a plain number',
      my.officer.post('/persons', {
        names: [{ full: 'LIM Plain', script: 'latin', kind: 'primary' }],
        phones: [plainHit],
      }),
    );
    for (const { forms } of received.slice(0, 3)) {
      const check = created(
        await write(
          'identifier check to MY (plain number)',
          officer.post('/identifier-checks', {
            partners: ['MY'],
            identifiers: [{ kind: 'phone', value: plainHit }],
          }),
        ),
        'identifier-check',
      );
      if (!check) continue;
      const draft = created(
        await write(
          'identifier check follow-up to MY (plain number)',
          officer.post(`/identifier-checks/${check.id}/follow-ups`, { partnerCountry: 'MY', position: 0 }),
        ),
        'information-request',
      );
      if (!draft) continue;
      await write(
        'follow-up draft message',
        officer.post(`${ir}/${draft.id}/messages`, { body: `followupmessage ${forms[0]}` }),
      );
      await file(officer, `${ir}/${draft.id}/attachments`, `followupfilename ${forms[2]}`);
      await step(officer, ir, draft.id, 'submit', { comment: `followupcomment ${forms[1]}` });
      await step(liaison, ir, draft.id, 'approve');
      await write(
        'follow-up message after sending',
        officer.post(`${ir}/${draft.id}/messages`, { body: `followupmessageafter ${forms[1]}` }),
      );
    }
    // KR's admin renames KR's liaison (who signs the steps MY sees) with the number.
    const krAdmin = callers.find((c) => c.username === 'kr.admin')!.http;
    const liaisonId = await tf.userId('kr.liaison');
    await write(
      'rename KR liaison',
      krAdmin.patch(`/users/${liaisonId}`, {
        version: await version(krAdmin, `/users/${liaisonId}`),
        displayName: `Liaison ${received[0].value}`,
      }),
    );
    // The amber person itself (KR may not pass it on) and its own sharing attempt.
    records.push({ kind: 'person', id: amberPerson });
  }, 600_000);
  afterAll(() => t?.close());

  it('shows no caller of MY any of the numbers, however spaced', async () => {
    const myCallers = callers.filter((c) => c.country === 'MY');
    /** Every hit, one line each; and by `code route ← marker`, the callers and one snippet. */
    const hits: string[] = [];
    const leaks = new Map<string, { callers: Set<string>; snippet: string }>();
    const statuses = new Map<number, number>();
    const answered = new Set<string>();
    let reads = 0;
    const LIST_VARIANTS = [
      '',
      'limit=200',
      'direction=inbound&limit=200',
      'direction=outbound&limit=200',
      'unreadOnly=false&limit=200',
      'side=banning&limit=200',
      'side=proposed&limit=200',
      'q=casetitle',
      'q=casetitleafter',
    ];
    const read = async (caller: SignedCaller, route: string, url: string) => {
      const res = await request(t.server)
        .get(url)
        .set('Authorization', `Bearer ${caller.http.tokens.accessToken}`)
        .buffer(true)
        .parse(raw);
      reads++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 200) answered.add(`${caller.username} ${route}`);
      // Headers as sent and percent-decoded (`filename*=UTF-8''name%20+855%2012…`), then the raw body.
      const headers = JSON.stringify(res.headers);
      let decoded = headers;
      try {
        decoded = decodeURIComponent(headers);
      } catch {
        // not percent-encoded
      }
      // A ZIP (a case bundle) also by its entries: their names and deflated contents.
      const body = String(res.body ?? '');
      const zip = body.startsWith('PK\u0003\u0004') ? `\n${await readable(body)}` : '';
      const plain = `${headers}\n${decoded}\n${body}${zip}`;
      // Also as a reader sees it: compatibility forms (full-width) as plain, digits of any script as
      // ASCII, and what takes no place (zero-width and other format characters, marks) dropped.
      // (The body is read as latin1, byte for byte, for ZIPs: decoded as UTF-8 here.)
      const folded = foldDigits(`${decoded}\n${Buffer.from(body, 'latin1').toString('utf8')}${zip}`);
      const text = /^[\t\n\r -~]*$/.test(plain) ? plain : `${plain}\n${folded}`;
      for (const r of received)
        for (const m of text.matchAll(r.pattern)) {
          const at = m.index ?? 0;
          // The marker word before the number names the text it was written into.
          const marker = /([a-z]{4,})(?:\s|%20)(?:\+|%2B)?(?:855)?(?:\s|%20)?0?$/.exec(
            text.slice(Math.max(0, at - 40), at),
          )?.[1];
          if (caller.country === 'KR') {
            if (marker) shownToKr.add(marker);
            continue;
          }
          const snippet = text.slice(Math.max(0, at - 60), at + m[0].length + 10);
          hits.push(`${r.code} ${caller.username} GET ${url} [${res.status}]: …${snippet}…`);
          const key = `${r.code} ${route} ← ${marker ?? '(no marker)'}`;
          if (!leaks.has(key)) leaks.set(key, { callers: new Set(), snippet });
          leaks.get(key)!.callers.add(caller.username);
        }
      return res;
    };
    const discovered = new Map<string, Set<string>>();
    /** Marker words of the texts KR's own reads show with a number. */
    const shownToKr = new Set<string>();
    const readList = async (caller: SignedCaller, route: Route, url: string) => {
      let res = await read(caller, route.key, url);
      const status = res.status;
      for (let page = 0; page < 10 && res.status === 200; page++) {
        let body: { nextCursor?: string | null; items?: { id?: string }[] };
        try {
          body = JSON.parse(String(res.body));
        } catch {
          break;
        }
        // Records the caller's lists show, to read by id too.
        const kind = kindOf(`${route.path}/{id}`);
        if (kind && Array.isArray(body.items))
          for (const item of body.items)
            if (typeof item?.id === 'string') {
              if (!discovered.has(kind)) discovered.set(kind, new Set());
              discovered.get(kind)!.add(item.id);
            }
        if (!body.nextCursor) break;
        res = await read(
          caller,
          route.key,
          `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(body.nextCursor)}`,
        );
      }
      return status;
    };

    const gets = routes.filter(
      (r) => r.method === 'GET' && r.path.startsWith('/api/v1/') && !r.path.includes('docs'),
    );
    for (const caller of myCallers) {
      const refused = new Set<string>();
      for (const route of gets.filter((r) => !r.path.includes('{'))) {
        if (route.path === '/api/v1/audit-events/timeline') continue;
        const declared = queryNames.get(route.key) ?? new Set<string>();
        for (const variant of LIST_VARIANTS) {
          if (variant && !variant.split('&').every((kv) => declared.has(kv.split('=')[0]))) continue;
          if (refused.has(route.key)) continue;
          const status = await readList(caller, route, variant ? `${route.path}?${variant}` : route.path);
          if (status === 403) refused.add(route.key);
        }
      }
    }
    const ids = new Map<string, Set<string>>(discovered);
    for (const r of records) {
      if (!ids.has(r.kind)) ids.set(r.kind, new Set());
      ids.get(r.kind)!.add(r.id);
    }
    for (const caller of myCallers) {
      for (const route of gets.filter((r) => r.path.includes('{'))) {
        const kind = kindOf(route.path);
        if (!kind) {
          if (route.path.includes('{frameworkId}'))
            await read(
              caller,
              route.key,
              route.path.replace('{frameworkId}', await frameworkId(t, 'Korea–Malaysia')),
            );
          continue;
        }
        for (const id of ids.get(kind) ?? []) {
          const res = await read(caller, route.key, fillPath(route.path, id, 'KR'));
          if (res.status === 403) break;
        }
      }
      const timeline = gets.find((r) => r.path === '/api/v1/audit-events/timeline');
      // As on the routes above, a role the route refuses (403: the role's permission, checked before the
      // record is looked at) is refused once, not again for each of the sweep's 500 records.
      if (timeline)
        timeline: for (const [kind, set] of ids)
          if (AUDIT_TYPE[kind])
            for (const id of set) {
              const res = await read(
                caller,
                timeline.key,
                `${timeline.path}?recordType=${AUDIT_TYPE[kind]}&recordId=${id}&limit=200`,
              );
              if (res.status === 403) break timeline;
            }
    }

    // KR's officer and liaison read the same records: where the sweep reaches, the texts KR wrote show.
    for (const caller of callers.filter((c) => c.username === 'kr.officer' || c.username === 'kr.liaison'))
      for (const route of gets.filter((r) => r.path.includes('{')))
        for (const { id } of records.filter((r) => r.kind === kindOf(route.path)))
          await read(caller, route.key, fillPath(route.path, id, 'MY'));

    // KR's follow-ups of MY's hits (section 14): MY holds those numbers itself, so the crawl does not
    // look for them; MY must still never read KR's follow-up (by any route of a request by id).
    const followUpLeaks: string[] = [];
    const followUpPattern = new RegExp(followUpNumbers.map((f) => f.value.slice(4)).join('|'));
    for (const caller of myCallers)
      for (const route of gets.filter((r) => r.path.startsWith('/api/v1/information-requests/{')))
        for (const id of followUpDrafts) {
          const url = fillPath(route.path, id, 'KR');
          const res = await request(t.server)
            .get(url)
            .set('Authorization', `Bearer ${caller.http.tokens.accessToken}`)
            .buffer(true)
            .parse(raw);
          const body = String(res.body ?? '');
          if (
            res.status === 200 &&
            followUpPattern.test(foldDigits(Buffer.from(body, 'latin1').toString('utf8')))
          )
            followUpLeaks.push(`follow-up ${caller.username} GET ${url} [200]: ${body.slice(0, 300)}`);
        }
    const unique = [...new Set(hits)];
    const grouped = [...leaks]
      .map(([key, { callers: who, snippet }]) => `${key} (${[...who].sort().join(', ')}): …${snippet}…`)
      .sort();
    console.log(
      `received numbers in reads: ${writes.length} writes (${writes.filter((w) => w.startsWith('2')).length} accepted, ` +
        `${writes.filter((w) => w.startsWith('409')).length} refused 409), ${records.length} records, ` +
        `${reads} reads (${myCallers.length} MY callers over ${gets.length} GET routes, then KR's own) ` +
        `(${[...statuses].map(([s, k]) => `${k} × ${s}`).join(', ')}), ${answered.size} (caller, route) pairs answered 200; ` +
        `${followUpDrafts.length} follow-up drafts, ${followUpLeaks.length} read by MY; ` +
        `texts with a number KR's own reads show (${shownToKr.size}): ${[...shownToKr].sort().join(' ')}; ` +
        `${unique.length} hits in MY's reads, ${grouped.length} by (code, route, text)` +
        (grouped.length
          ? `:\n  ${grouped.join('\n  ')}\nhits:\n  ${unique.slice(0, 300).join('\n  ')}`
          : '') +
        `\nwrites:\n  ${writes.join('\n  ')}`,
    );
    // The sweep means something: KR's own record shows the number (the pattern finds it), MY's callers
    // got real answers, and the writes reached MY where they were allowed to.
    const own = await tf['kr.officer'].get(`/cases/${ownCaseWithNumber}`).expect(200);
    expect(JSON.stringify(own.body)).toMatch(new RegExp(received[0].pattern.source));
    expect(answered.size).toBeGreaterThan(100);
    // Consent reaches MY: the consented person, with the number it carried when KH consented.
    const consentedRead = await tf['my.officer'].get(`/persons/${consentedPerson}`).expect(200);
    expect(JSON.stringify(consentedRead.body)).toContain('88800444');
    expect(shownToKr.size).toBeGreaterThan(30);
    // …including the texts of the bulk arrests, of every script, and KH's number added after consent.
    expect([...shownToKr]).toEqual(
      expect.arrayContaining([
        'batchplace',
        'batchpersonnotes',
        'importplace',
        'importfullname',
        'consentlater',
        ...SCRIPTS.map(([script]) => `scripttitle${script}`),
      ]),
    );
    expect(writes.filter((w) => w.startsWith('2')).length).toBeGreaterThan(100);
    // Each (code, route, text) MY read a number in, with who read it and where: none.
    expect([...grouped, ...followUpLeaks]).toEqual([]);
  }, 900_000);
});
