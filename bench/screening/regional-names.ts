import {
  CHINESE_GIVEN_CHARACTERS,
  CHINESE_SURNAMES,
  KHMER_FAMILY,
  KHMER_GIVEN,
  KOREAN_GIVEN_SYLLABLES,
  KOREAN_SURNAMES,
  MALAY_FATHERS,
  MALAY_FEMALE_GIVEN,
  MALAY_MALE_GIVEN,
  VIETNAMESE_FAMILY,
} from '../../test/fixtures/screening-pairs/tables';
import {
  pick,
  spelled,
  type GeneratedPerson,
  type Origin,
  type Random,
  type Spelled,
} from '../screening-matching.population';

/**
 * Names of the region for the million-entry screening benchmark: the mix of a blacklist kept against
 * the scam compounds of Southeast Asia, not a Korean list. Shares (an assumption, stated in
 * bench/README.md): Chinese 24 %, Vietnamese 20 %, Korean 14 %, Malay 14 %, Thai 14 %, Khmer 14 %.
 * Family names are drawn by their weight in their country (Kim, Lee and Park are 45 % of Koreans,
 * Nguyen 38 % of Vietnamese), so common names have many namesakes, as a real list of that size has.
 *
 * The tables are those of the labelled screening pairs (public sources in their header), widened
 * with more given names of each tradition; Thai family names are built from the morphemes Thai
 * surnames are made of (each Thai family name is unique to its family, so namesakes are rare).
 */
export const REGIONAL_MIX: ReadonlyArray<[Origin, number]> = [
  ['chinese', 0.24],
  ['vietnamese', 0.2],
  ['korean', 0.14],
  ['malay', 0.14],
  ['thai', 0.14],
  ['khmer', 0.14],
];

type Weighted<T> = ReadonlyArray<[T, number]>;

function weighted<T>(random: Random, items: Weighted<T>): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [item, weight] of items) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** A surname list where the first few are far more common than the rest (census shapes). */
function byFrequency<T>(items: readonly T[], top: readonly number[]): Weighted<T> {
  return items.map((item, i) => [item, top[i] ?? 1]);
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

// Korean: Revised Romanization first, then McCune–Reischauer without its marks, then passport forms.
const stripMarks = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/'/g, '');
const koreanSpelled = ([hangul, rr, mr, ...passport]: readonly string[]) =>
  spelled(hangul!, ...unique([passport[0] ?? rr!, rr!, stripMarks(mr!), ...passport.slice(1)]));
const KOREAN_FAMILY = byFrequency(
  KOREAN_SURNAMES.map(koreanSpelled),
  [21.5, 14.7, 8.4, 4.7, 4.3, 2.4, 2.1, 2.1, 2.0, 1.7],
);
const KOREAN_SYLLABLES = [
  ...KOREAN_GIVEN_SYLLABLES.map(koreanSpelled),
  spelled('도', 'do'),
  spelled('윤', 'yun', 'yoon'),
  spelled('시', 'si', 'shi'),
  spelled('예', 'ye'),
  spelled('유', 'yu', 'yoo'),
  spelled('건', 'geon', 'gun', 'kun'),
  spelled('채', 'chae'),
  spelled('규', 'gyu', 'kyu'),
  spelled('소', 'so'),
  spelled('나', 'na'),
  spelled('용', 'yong'),
  spelled('기', 'gi', 'ki'),
];

const CHINESE_FAMILY = byFrequency(
  CHINESE_SURNAMES.map(([han, ...latin]) => spelled(han, ...latin)),
  [7.1, 6.8, 1.9, 5.4, 2.0, 4.5, 7.4, 5.4, 3.1, 1.2],
);
const CHINESE_CHARACTERS = [
  ...CHINESE_GIVEN_CHARACTERS,
  ...([
    ['宏', 'hong'],
    ['玲', 'ling'],
    ['婷', 'ting'],
    ['斌', 'bin'],
    ['鹏', 'peng'],
    ['飞', 'fei'],
    ['勇', 'yong'],
    ['峰', 'feng'],
    ['超', 'chao'],
    ['洋', 'yang'],
    ['敏', 'min'],
    ['静', 'jing'],
    ['霞', 'xia'],
    ['燕', 'yan'],
    ['梅', 'mei'],
    ['琳', 'lin'],
    ['刚', 'gang'],
    ['龙', 'long'],
    ['东', 'dong'],
    ['春', 'chun'],
    ['晓', 'xiao'],
    ['亮', 'liang'],
    ['波', 'bo'],
    ['磊', 'lei'],
    ['雪', 'xue'],
    ['慧', 'hui'],
    ['凯', 'kai'],
    ['浩', 'hao'],
    ['博', 'bo'],
    ['然', 'ran'],
    ['怡', 'yi'],
    ['晨', 'chen'],
    ['阳', 'yang'],
    ['泽', 'ze'],
    ['瑞', 'rui'],
    ['德', 'de'],
    ['荣', 'rong'],
    ['安', 'an'],
    ['佳', 'jia'],
    ['子', 'zi'],
  ] as Array<[string, string]>),
];

const VIETNAMESE_FAMILY_WEIGHTED = byFrequency(
  VIETNAMESE_FAMILY.map((name) => spelled(name, name)),
  [38.4, 12.1, 9.5, 7.0, 5.1, 5.1, 4.5, 3.9, 3.9, 2.1, 2.0, 1.4, 1.3, 1.3, 1.0],
);
const VIETNAMESE_MIDDLE = [
  ...['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Quang', 'Ngọc', 'Thanh', 'Xuân', 'Công', 'Đình', 'Bảo'],
  ...['Kim', 'Thu', 'Hồng', 'Gia', 'Anh', 'Quốc', 'Trọng', 'Mạnh'],
];
const VIETNAMESE_GIVEN = [
  ...['Anh', 'Hùng', 'Lan', 'Hương', 'Dũng', 'Tuấn', 'Thảo', 'Linh', 'Khánh', 'Phúc', 'Trung', 'Hải'],
  ...['Long', 'Nam', 'Quang', 'Sơn', 'Thắng', 'Vy', 'Yến', 'Hà', 'Tâm', 'Tân', 'Bình', 'Cường'],
  ...['Đạt', 'Giang', 'Hiếu', 'Hòa', 'Huy', 'Kiên', 'Lâm', 'Lộc', 'Mai', 'Nga', 'Nhung', 'Phong'],
  ...['Phương', 'Quân', 'Thành', 'Thủy', 'Toàn', 'Trang', 'Tùng', 'Việt', 'Vinh', 'Xuân'],
  ...['An', 'Bảo', 'Châu', 'Chi', 'Cúc', 'Diệp', 'Duy', 'Dương', 'Hạnh', 'Hậu', 'Hiền', 'Hoa', 'Hoài'],
  ...['Hoàng', 'Hồng', 'Hưng', 'Kha', 'Khải', 'Khoa', 'Khôi', 'Kim', 'Lệ', 'Liên', 'Loan', 'Lợi', 'Luân'],
  ...['Lương', 'Mạnh', 'My', 'Nghĩa', 'Ngân', 'Nguyên', 'Nhân', 'Nhi', 'Oanh', 'Phát', 'Phú', 'Quý', 'Quyên'],
  ...['Sang', 'Tài', 'Thái', 'Thanh', 'Thịnh', 'Thơ', 'Thu', 'Thư', 'Tiến', 'Trí', 'Trinh', 'Tú', 'Uyên'],
  ...['Văn', 'Vân', 'Vũ', 'Vương', 'Yên', 'Đông', 'Định', 'Điệp', 'Đức', 'Hậu', 'Khang', 'Khuê', 'Lực'],
];

const MUHAMMAD = spelled('', 'Muhammad', 'Mohd', 'Muhd', 'Md', 'Mohamad');
const MALAY_MALE = unique([
  ...MALAY_MALE_GIVEN,
  ...['Faizal', 'Syafiq', 'Farid', 'Hakimi', 'Irfan', 'Khairul', 'Nizam', 'Rizal', 'Shafiq', 'Taufik'],
  ...['Zainal', 'Anuar', 'Azman', 'Badrul', 'Danial', 'Fauzi', 'Hairi', 'Iskandar', 'Jamal', 'Luqman'],
]);
const MALAY_FEMALE = unique([
  ...MALAY_FEMALE_GIVEN,
  ...['Amirah', 'Balqis', 'Dayana', 'Erina', 'Fazira', 'Hanis', 'Intan', 'Jannah', 'Khadijah', 'Laila'],
]);
const MALAY_FATHER_NAMES = unique([
  ...MALAY_FATHERS,
  ...['Hassan', 'Rahman', 'Salleh', 'Karim', 'Latif', 'Mansor', 'Razak', 'Jamil', 'Bakar', 'Daud'],
  ...['Ghani', 'Hamid', 'Harun', 'Mokhtar', 'Musa', 'Nasir', 'Rashid', 'Shukor', 'Talib', 'Zakaria'],
]);

const KHMER_FAMILY_NAMES = [
  ...KHMER_FAMILY.map(([khmer, ...latin]) => spelled(khmer, ...latin)),
  ...[
    ['kim'],
    ['ly', 'lee'],
    ['heng', 'hieng'],
    ['seng', 'seang'],
    ['prak', 'prach'],
    ['ouk', 'ok'],
    ['yim', 'yem'],
    ['mao', 'mau'],
    ['nuon', 'nun'],
    ['sar', 'sa'],
    ['chhay', 'chay'],
    ['sam', 'sum'],
    ['tep', 'teb'],
    ['vong', 'vung'],
    ['nhem', 'nheum'],
  ].map((latin) => spelled('', ...latin)),
];
const KHMER_GIVEN_NAMES = [
  ...KHMER_GIVEN.map(([khmer, ...latin]) => spelled(khmer, ...latin)),
  ...[
    ['sokha', 'sokhar'],
    ['sothea', 'sotheaa'],
    ['chenda', 'chendar'],
    ['rithy', 'rithi'],
    ['vuthy', 'vuthi'],
    ['veasna', 'visna'],
    ['sovann', 'sovan'],
    ['kimly', 'kimlee'],
    ['sreymom', 'sreimom'],
    ['sreyleak', 'sreileak'],
    ['sophal', 'sophall'],
    ['sambath', 'sambat'],
    ['visal', 'visall'],
    ['rotha', 'rota'],
    ['mony', 'moni'],
    ['channary', 'chanary'],
    ['phalla', 'phala'],
    ['kunthea', 'kunthia'],
    ['nimol', 'nimul'],
    ['pheakdey', 'pheakdei'],
    ['raksmey', 'reaksmey'],
    ['makara', 'makkara'],
    ['borey', 'borei'],
    ['vibol', 'vibul'],
    ['chamroeun', 'chamroen'],
    ['bunthoeun', 'bunthoen'],
    ['sokunthea', 'sokunthear'],
    ['chantrea', 'chantria'],
    ['davy', 'davi'],
    ['leakhena', 'leakena'],
    ['malis', 'malys'],
    ['narith', 'narit'],
    ['panha', 'pagna'],
    ['rachana', 'reachana'],
    ['sakada', 'sakadda'],
    ['seyha', 'seiha'],
    ['sokny', 'sokni'],
    ['sopheara', 'sophara'],
    ['sothy', 'sothi'],
    ['srun', 'sroun'],
    ['thida', 'tida'],
    ['vannak', 'vanak'],
    ['vireak', 'virak'],
    ['bona', 'bonna'],
    ['dalin', 'dalinn'],
    ['kanha', 'kagna'],
    ['lina', 'linna'],
    ['mesa', 'mesar'],
    ['nary', 'nari'],
    ['phearum', 'pheareum'],
    ['ponleu', 'ponlue'],
    ['sophea', 'sopheaa'],
    ['tola', 'tolla'],
    ['vichea', 'vichear'],
    ['chanmony', 'chanmoni'],
  ].map((latin) => spelled('', ...latin)),
];

// Thai family names are compounds; each morpheme with its RTGS spelling first, then passport forms.
const THAI_HEADS = [
  ['si', 'sri'],
  ['wong', 'vong'],
  ['chai', 'chay'],
  ['rattana', 'ratana'],
  ['thong', 'tong'],
  ['kaeo', 'kaew'],
  ['bun', 'boon'],
  ['suk', 'sook'],
  ['phong', 'pong'],
  ['kitti', 'kiti'],
  ['siri', 'sirri'],
  ['sak', 'sakk'],
  ['charoen', 'jaroen'],
  ['phan', 'pan'],
  ['samut', 'samuth'],
];
const THAI_TAILS = [
  ['sawat', 'sawad'],
  ['sukkasem', 'sukasem'],
  ['phon', 'porn'],
  ['kun', 'kul'],
  ['chai', 'chay'],
  ['wong', 'vong'],
  ['sakun', 'sakul'],
  ['rat', 'rath'],
  ['sombat', 'sombut'],
  ['manee', 'mani'],
  ['ngam', 'ngarm'],
  ['phaisan', 'paisan'],
  ['thawon', 'thaworn'],
  ['prasoet', 'prasert'],
  ['kham', 'kam'],
];
const THAI_GIVEN_NAMES = [
  ...['somchai', 'somchay'],
  ...['prayut', 'prayuth'],
  ...['suphachai', 'supachai'],
  ...['thanakon', 'thanakorn'],
  ...['kittiphong', 'kittipong'],
  ...['wichai', 'vichai'],
  ...['siriphon', 'siriporn'],
  ...['phonthip', 'pornthip'],
  ...['nattaphon', 'nattapon'],
  ...['chatchai', 'chatchay'],
  ...['surachai', 'surachay'],
  ...['anong', 'anongk'],
  ...['somsak', 'somsack'],
  ...['prasoet', 'prasert'],
  ...['malee', 'mali'],
  ...['suda', 'sudah'],
  ...['niran', 'nirun'],
  ...['wanchai', 'vanchai'],
  ...['arthit', 'athit'],
  ...['kanya', 'kanyaa'],
  ...['pranee', 'prani'],
  ...['somporn', 'somphon'],
  ...['thawatchai', 'tawatchai'],
  ...['chaiwat', 'chaiwath'],
  ...['narong', 'narongk'],
  ...['siriwan', 'sirivan'],
  ...['wilai', 'vilai'],
  ...['boonmee', 'bunmi'],
  ...['pornchai', 'phonchai'],
  ...['sakchai', 'sakchay'],
].reduce<string[][]>((pairs, name, i, all) => (i % 2 ? pairs : [...pairs, [name, all[i + 1]!]]), []);

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const spelledLatin = (forms: readonly string[]) => spelled('', ...forms.map(capitalise));

/** Every combination of the spellings of a compound's morphemes, the all-first one first. */
function compound(head: readonly string[], tail: readonly string[]): Spelled {
  const forms = head.flatMap((h) => tail.map((t) => capitalise(h + t)));
  return spelled('', ...unique(forms));
}

function chineseGiven(random: Random): Spelled {
  const first = pick(random, CHINESE_CHARACTERS);
  if (random() < 0.1) return spelled(first[0], capitalise(first[1]));
  const second = pick(random, CHINESE_CHARACTERS);
  return spelled(first[0] + second[0], capitalise(first[1] + second[1]));
}

/** One person's name parts, drawn for one tradition. */
export function regionalPerson(origin: Origin, random: Random): Omit<GeneratedPerson, 'candidate'> {
  switch (origin) {
    case 'korean':
      return {
        origin,
        family: weighted(random, KOREAN_FAMILY),
        given: [pick(random, KOREAN_SYLLABLES), pick(random, KOREAN_SYLLABLES)],
      };
    case 'chinese':
      return { origin, family: weighted(random, CHINESE_FAMILY), given: [chineseGiven(random)] };
    case 'vietnamese': {
      const middle = pick(random, VIETNAMESE_MIDDLE);
      const given = pick(random, VIETNAMESE_GIVEN);
      return {
        origin,
        family: weighted(random, VIETNAMESE_FAMILY_WEIGHTED),
        given: random() < 0.9 ? [spelled(middle, middle), spelled(given, given)] : [spelled(given, given)],
      };
    }
    case 'malay': {
      const male = random() < 0.6;
      const own = pick(random, male ? MALAY_MALE : MALAY_FEMALE);
      const given =
        male && random() < 0.4
          ? [MUHAMMAD, spelled('', own)]
          : random() < 0.5
            ? [spelled('', own), spelled('', pick(random, male ? MALAY_MALE : MALAY_FEMALE))]
            : [spelled('', own)];
      return {
        origin,
        family: spelled('', pick(random, MALAY_FATHER_NAMES)),
        given: given.filter((part, i) => i === 0 || part.latin[0] !== given[0]!.latin[0]),
        connector: male ? 'bin' : 'binti',
      };
    }
    case 'thai':
      return {
        origin,
        family: compound(pick(random, THAI_HEADS), pick(random, THAI_TAILS)),
        given: [spelledLatin(pick(random, THAI_GIVEN_NAMES))],
      };
    case 'khmer': {
      const given = [pick(random, KHMER_GIVEN_NAMES)];
      if (random() < 0.5) given.push(pick(random, KHMER_GIVEN_NAMES));
      const family = pick(random, KHMER_FAMILY_NAMES);
      return {
        origin,
        family: { ...family, latin: family.latin.map(capitalise) },
        given: given.map((part) => ({ ...part, latin: part.latin.map(capitalise) })),
      };
    }
  }
}

export function regionalOrigin(random: Random): Origin {
  return weighted(random, REGIONAL_MIX);
}
