import { normaliseName, type PersonName, type ScreeningCandidate } from '../src/screening/matching';

/** A seeded random source, so every run measures the same population and the same queries. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** A name part in its original script with the Latin spellings people use for it; the first is usual. */
export interface Spelled {
  /** The part in its original script; empty when only the Latin spelling is known. */
  native: string;
  latin: readonly string[];
}
export const spelled = (native: string, ...latin: string[]): Spelled => ({ native, latin });

const KOREAN_SURNAMES = [
  spelled('김', 'Kim', 'Gim'),
  spelled('이', 'Lee', 'Yi', 'Rhee', 'I'),
  spelled('박', 'Park', 'Pak', 'Bak'),
  spelled('최', 'Choi', 'Choe'),
  spelled('정', 'Jung', 'Jeong', 'Chung'),
  spelled('강', 'Kang', 'Gang'),
  spelled('조', 'Cho', 'Jo'),
  spelled('윤', 'Yoon', 'Yun'),
  spelled('장', 'Jang', 'Chang'),
  spelled('임', 'Lim', 'Im'),
  spelled('한', 'Han', 'Hahn'),
  spelled('신', 'Shin', 'Sin'),
  spelled('서', 'Seo', 'Suh'),
  spelled('권', 'Kwon', 'Gwon'),
  spelled('황', 'Hwang'),
  spelled('안', 'Ahn', 'An'),
  spelled('송', 'Song'),
  spelled('유', 'Yoo', 'Yu'),
  spelled('홍', 'Hong'),
  spelled('문', 'Moon', 'Mun'),
];
const KOREAN_SYLLABLES = [
  spelled('민', 'min'),
  spelled('준', 'jun', 'joon'),
  spelled('서', 'seo', 'suh'),
  spelled('연', 'yeon', 'yun'),
  spelled('지', 'ji', 'jee'),
  spelled('훈', 'hun', 'hoon'),
  spelled('현', 'hyeon', 'hyun'),
  spelled('우', 'u', 'woo'),
  spelled('수', 'su', 'soo'),
  spelled('영', 'yeong', 'young'),
  spelled('호', 'ho'),
  spelled('은', 'eun'),
  spelled('재', 'jae'),
  spelled('성', 'seong', 'sung'),
  spelled('진', 'jin'),
  spelled('하', 'ha'),
  spelled('혜', 'hye'),
  spelled('동', 'dong'),
  spelled('태', 'tae'),
  spelled('희', 'hui', 'hee'),
  spelled('상', 'sang'),
  spelled('경', 'gyeong', 'kyung'),
  spelled('미', 'mi'),
  spelled('철', 'cheol', 'chul'),
  spelled('주', 'ju', 'joo'),
  spelled('원', 'won'),
];
const KHMER_FAMILY = [
  spelled('សុខ', 'Sok', 'Sokh'),
  spelled('ចាន់', 'Chan', 'Chann'),
  spelled('ជា', 'Chea', 'Chear'),
  spelled('ហេង', 'Heng'),
  spelled('កែវ', 'Keo'),
  spelled('មាស', 'Meas', 'Meah'),
];
const KHMER_GIVEN = [
  spelled('ចាន់ថា', 'Chanthea', 'Chantha'),
  spelled('សុផារ៉ា', 'Sophara', 'Sophra'),
  spelled('ដារ៉ា', 'Dara', 'Darah'),
  spelled('វិចិត្រ', 'Vichet', 'Vicheth'),
  spelled('សុភាព', 'Sopheap', 'Sophiep'),
  spelled('រតនា', 'Ratana', 'Rathana'),
  spelled('បុប្ផា', 'Bopha', 'Bupha'),
];
const THAI_GIVEN = [
  spelled('สมชาย', 'Somchai', 'Somchay'),
  spelled('สมศักดิ์', 'Somsak', 'Somsack'),
  spelled('ประเสริฐ', 'Prasert', 'Prasoet'),
  spelled('สุดา', 'Suda', 'Sudah'),
  spelled('มาลี', 'Malee', 'Mali'),
  spelled('วิชัย', 'Wichai', 'Vichai'),
];
const THAI_FAMILY = [
  spelled('ใจดี', 'Jaidee', 'Chaidee', 'Jaidi'),
  spelled('ศรีสุข', 'Srisuk', 'Srisook'),
  spelled('แก้วมณี', 'Kaewmanee', 'Kaewmani'),
  spelled('บุญมา', 'Boonma', 'Bunma'),
  spelled('วงศ์ไทย', 'Wongthai', 'Vongthai'),
  spelled('ทองดี', 'Thongdee', 'Tongdee'),
];
const CHINESE_FAMILY = [
  spelled('王', 'Wang'),
  spelled('张', 'Zhang'),
  spelled('刘', 'Liu'),
  spelled('陈', 'Chen'),
];
const CHINESE_GIVEN = [
  spelled('伟', 'Wei'),
  spelled('芳', 'Fang'),
  spelled('敏', 'Min'),
  spelled('静', 'Jing'),
  spelled('强', 'Qiang'),
  spelled('磊', 'Lei'),
  spelled('军', 'Jun'),
  spelled('秀英', 'Xiuying'),
];
const VIETNAMESE_FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Đặng', 'Bùi'];
const VIETNAMESE_MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Quốc', 'Ngọc'];
const VIETNAMESE_GIVEN = [
  ...['Anh', 'Hùng', 'Lan', 'Hương', 'Dũng', 'Tuấn', 'Thảo', 'Linh', 'Khánh', 'Phúc', 'Trung'],
  ...['Hải', 'Long', 'Nam', 'Quang', 'Sơn', 'Thắng', 'Vy', 'Yến', 'Hà'],
];
const MALAY_FIRST = [
  ...['Muhammad', 'Ahmad', 'Siti', 'Nur', 'Amir', 'Hafiz', 'Faizal', 'Aisyah', 'Amirah', 'Zulkifli'],
  ...['Farid', 'Hakim', 'Nadia', 'Syafiq'],
];
const MALAY_FATHER = [
  ...['Ismail', 'Hassan', 'Abdullah', 'Yusof', 'Rahman', 'Osman', 'Ibrahim', 'Salleh', 'Kassim'],
  ...['Hamzah', 'Jamil', 'Karim', 'Latif', 'Mansor', 'Razak'],
];

export type Origin = 'korean' | 'khmer' | 'thai' | 'chinese' | 'vietnamese' | 'malay';
export const ORIGINS: readonly Origin[] = ['korean', 'khmer', 'thai', 'chinese', 'vietnamese', 'malay'];

/** What the generator knows about an entry's name, to spell it differently in a query. */
export interface GeneratedPerson {
  candidate: ScreeningCandidate;
  origin: Origin;
  family: Spelled;
  given: Spelled[];
  /** Words between given and family name that are neither (Malay "bin"). */
  connector?: string;
}

function latinOf(parts: Spelled[], spelling = 0): string {
  return parts.map((part) => part.latin[Math.min(spelling, part.latin.length - 1)]).join('');
}
const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function koreanPerson(random: Random): Omit<GeneratedPerson, 'candidate'> {
  const given = [pick(random, KOREAN_SYLLABLES), pick(random, KOREAN_SYLLABLES)];
  return { origin: 'korean', family: pick(random, KOREAN_SURNAMES), given };
}

function personOf(origin: Origin, random: Random): Omit<GeneratedPerson, 'candidate'> {
  switch (origin) {
    case 'korean':
      return koreanPerson(random);
    case 'khmer':
      return { origin, family: pick(random, KHMER_FAMILY), given: [pick(random, KHMER_GIVEN)] };
    case 'thai':
      return { origin, family: pick(random, THAI_FAMILY), given: [pick(random, THAI_GIVEN)] };
    case 'chinese':
      return { origin, family: pick(random, CHINESE_FAMILY), given: [pick(random, CHINESE_GIVEN)] };
    case 'vietnamese': {
      const family = pick(random, VIETNAMESE_FAMILY);
      const middle = pick(random, VIETNAMESE_MIDDLE);
      const given = pick(random, VIETNAMESE_GIVEN);
      return {
        origin,
        family: spelled(family, family),
        given: [spelled(middle, middle), spelled(given, given)],
      };
    }
    case 'malay': {
      const father = pick(random, MALAY_FATHER);
      const first = pick(random, MALAY_FIRST);
      const second = pick(
        random,
        MALAY_FIRST.filter((name) => name !== first),
      );
      return {
        origin,
        family: spelled(father, father),
        given: [spelled(first, first), spelled(second, second)],
        connector: pick(random, ['bin', 'binti']),
      };
    }
  }
}

const NATIVE_SCRIPT: Partial<Record<Origin, PersonName['script']>> = {
  korean: 'hangul',
  khmer: 'khmer',
  thai: 'thai',
  chinese: 'han',
};
export const NATIONALITY: Record<Origin, string> = {
  korean: 'KR',
  khmer: 'KH',
  thai: 'TH',
  chinese: 'CN',
  vietnamese: 'VN',
  malay: 'MY',
};

/** The entry's names: the Latin passport spelling, and the original script where there is one. */
export function namesOf(person: Omit<GeneratedPerson, 'candidate'>): PersonName[] {
  const family = capitalise(latinOf([person.family]));
  const given = person.given
    .map((part) => capitalise(latinOf([part])))
    .join(person.origin === 'korean' ? '' : ' ');
  const familyFirst = person.origin !== 'thai' && person.origin !== 'malay';
  const full = familyFirst
    ? `${family.toUpperCase()} ${capitalise(given.toLowerCase())}`
    : `${given} ${person.connector ?? ''} ${family}`.replace(/\s+/g, ' ');
  const names: PersonName[] = [{ full, family, given, script: 'latin', kind: 'primary' }];
  const script = NATIVE_SCRIPT[person.origin];
  if (script && [person.family, ...person.given].every((part) => part.native)) {
    const nativeGiven = person.given.map((part) => part.native).join('');
    const nativeFull =
      person.origin === 'thai'
        ? `${nativeGiven} ${person.family.native}`
        : `${person.family.native}${script === 'khmer' ? ' ' : ''}${nativeGiven}`;
    names.push({
      full: nativeFull,
      family: person.family.native,
      given: nativeGiven,
      script,
      kind: 'primary',
    });
  }
  return names;
}

export function dateOfBirth(random: Random): string {
  const year = 1960 + Math.floor(random() * 45);
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * `count` blacklisted people with distinct names (after normalisation, in any word order), so that a
 * query spelled from one of them has exactly one right answer. Origins whose name pools run out (the
 * few native-script names listed above) stop being drawn; the rest fill the population.
 */
export function generatePopulation(count: number, random: Random): GeneratedPerson[] {
  const people: GeneratedPerson[] = [];
  const seen = new Set<string>();
  const failures = new Map<Origin, number>();
  let origins = [...ORIGINS];
  while (people.length < count && origins.length > 0) {
    const origin = pick(random, origins);
    const person = personOf(origin, random);
    const names = namesOf(person);
    const key = normaliseName(names[0].full).split(' ').sort().join(' ');
    if (seen.has(key)) {
      failures.set(origin, (failures.get(origin) ?? 0) + 1);
      if (failures.get(origin)! > 500) origins = origins.filter((other) => other !== origin);
      continue;
    }
    failures.set(origin, 0);
    seen.add(key);
    const nationality = NATIONALITY[person.origin];
    const candidate: ScreeningCandidate = {
      id: `entry-${people.length}`,
      names,
      dateOfBirth: random() < 0.85 ? dateOfBirth(random) : null,
      nationalities: [nationality],
      sex: random() < 0.5 ? 'male' : 'female',
      documents: [
        {
          type: 'passport',
          number: `${nationality[0]}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
          issuingCountry: nationality,
        },
      ],
    };
    people.push({ ...person, candidate });
  }
  return people;
}
