import request from 'supertest';
import type { Server } from 'node:http';
import type { SignedIn } from '../support/http';

/** The columns the fixtures write (a subset of the documented header, in a spreadsheet's order). */
export const RAID_HEADER = [
  'arrested_at',
  'place',
  'province',
  'district',
  'latitude',
  'longitude',
  'operation',
  'grounds',
  'arresting_agency',
  'nationality',
  'full_name',
  'latin_name',
  'birth_date',
  'sex',
  'document_type',
  'document_number',
  'document_country',
];

const HANGUL_FAMILY = ['김', '이', '박', '최', '정', '강', '조', '윤'];
const HANGUL_GIVEN = ['민준', '서연', '도윤', '지우', '하준', '서윤', '예준', '지민'];
const LATIN_FAMILY: Record<string, string> = {
  김: 'KIM',
  이: 'LEE',
  박: 'PARK',
  최: 'CHOI',
  정: 'JUNG',
  강: 'KANG',
  조: 'CHO',
  윤: 'YOON',
};
const LATIN_GIVEN: Record<string, string> = {
  민준: 'Min-jun',
  서연: 'Seo-yeon',
  도윤: 'Do-yun',
  지우: 'Ji-woo',
  하준: 'Ha-jun',
  서윤: 'Seo-yun',
  예준: 'Ye-jun',
  지민: 'Ji-min',
};

/** The mix of the raid on the Golden Fortune compound: 230 persons, 64 of them Korean. */
export const RAID_MIX: Array<[string, number]> = [
  ['KR', 64],
  ['VN', 60],
  ['TH', 40],
  ['ID', 30],
  ['MY', 20],
  ['KH', 16],
];

export function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One person of a raid, as CSV cells in `RAID_HEADER` order. */
export function raidRow(nationality: string, i: number, overrides: Record<string, string> = {}): string[] {
  let full: string;
  let latin = '';
  if (nationality === 'KR') {
    const family = HANGUL_FAMILY[i % 8]!;
    const given = HANGUL_GIVEN[Math.floor(i / 8) % 8]!;
    full = `${family}${given}`;
    latin = `${LATIN_FAMILY[family]} ${LATIN_GIVEN[given]}`;
  } else if (nationality === 'VN') full = `Nguyễn Văn An ${i}`;
  else if (nationality === 'TH') full = `สมชาย ใจดี ${i}`;
  else if (nationality === 'KH') full = `សុខ ដារា ${i}`;
  else full = `Putri, "Ayu" ${i}`;
  const cells: Record<string, string> = {
    arrested_at: '2026-03-01T02:30:00Z',
    place: 'Golden Fortune compound, Building C',
    province: 'Preah Sihanouk',
    district: 'Sihanoukville',
    latitude: '10.627500',
    longitude: '103.522200',
    operation: 'Operation Dawn',
    grounds: 'Participation in an online fraud organisation (Criminal Code art. 377)',
    arresting_agency: 'Cambodian National Police',
    nationality,
    full_name: full,
    latin_name: latin,
    birth_date: `19${80 + (i % 20)}-0${1 + (i % 9)}`,
    sex: i % 3 ? 'male' : 'female',
    document_type: 'passport',
    document_number: `${nationality}${String(100000 + i)}`,
    document_country: nationality,
    ...overrides,
  };
  return RAID_HEADER.map((c) => cells[c] ?? '');
}

export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The 230-person raid as CSV. */
export function raidCsv(): string {
  const rows: string[][] = [];
  for (const [nationality, count] of RAID_MIX)
    for (let i = 0; i < count; i++) rows.push(raidRow(nationality, i));
  return toCsv(RAID_HEADER, rows);
}

export function importCsv(server: Server, who: SignedIn, csv: string | Buffer) {
  return request(server)
    .post('/api/v1/arrests/import')
    .set('Authorization', `Bearer ${who.tokens.accessToken}`)
    .set('Content-Type', 'text/csv; charset=utf-8')
    .send(typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv);
}

/** Every page of a list. */
export async function listAll<T>(who: SignedIn, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: request.Response = await who
      .get(`${path}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`)
      .expect(200);
    items.push(...(res.body.items as T[]));
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}
