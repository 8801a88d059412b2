/**
 * Chinese surnames as Southeast Asian and Hong Kong documents spell them: in the Hokkien, Teochew,
 * Cantonese or Hakka reading of the character, not in Mandarin pinyin (王 is Ong in Singapore and
 * Malaysia, Wong in Hong Kong, Wang in China). An entry written in Han characters is read in pinyin
 * (any-ascii), so each pinyin surname lists the dialect spellings of the same character. Source:
 * Wikipedia "List of common Chinese surnames" (romanisation columns) and "Hokkien/Teochew/Cantonese
 * romanisation of surnames" tables; one spelling may stand for several characters (Ng is 黄 in
 * Hokkien and 吴 in Cantonese), so spellings are matched through the characters they can stand for.
 * Taiwan's passports write the Wade–Giles spelling (谢 Hsieh, 郭 Kuo, 蒋 Chiang), listed here too.
 */
const DIALECT_SPELLINGS: Readonly<Record<string, string>> = {
  wang: 'ong heng wong vong',
  zhang: 'teo teoh tiong chang cheung chong cheong',
  lin: 'lim lam lum',
  huang: 'ng wee wong ooi oei bong',
  wu: 'goh ng gouw woo',
  chen: 'tan chan chin chun ting',
  li: 'lee lei ly lie',
  liu: 'lau low lao lew',
  yang: 'yeo yeoh yeung young yong',
  zheng: 'tay teh cheng chang',
  xu: 'koh khor hui hsu tsui khoo',
  cai: 'chua choi tsai choy',
  zhou: 'chew chow chau chiu chou',
  xie: 'chia cheah tse seah hsieh',
  guo: 'kwek kuek kwok kok quek kuo',
  he: 'ho hoh',
  luo: 'loh law lo',
  liang: 'neo leong leung niu',
  zhao: 'teo chiu chew chio chao',
  zeng: 'chan tsang chang tseng',
  song: 'soong sung',
  lu: 'loo lou',
  tang: 'tong thong',
  hu: 'wu foo oh',
  su: 'soh so',
  ye: 'yap yip',
  gao: 'ko kou kao',
  ma: 'beh mah',
  zhu: 'choo chu chee',
  liao: 'leow liew',
  jiang: 'chiang',
  xiao: 'hsiao',
  cao: 'tsao',
  deng: 'teng',
  feng: 'fung',
  zhuang: 'chuang',
  shi: 'shih',
  hong: 'hung ang',
};

const CHARACTERS_BY_SPELLING: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const readings = new Map<string, Set<string>>();
  const add = (spelling: string, pinyin: string) => {
    if (!readings.has(spelling)) readings.set(spelling, new Set());
    readings.get(spelling)!.add(pinyin);
  };
  for (const [pinyin, spellings] of Object.entries(DIALECT_SPELLINGS)) {
    add(pinyin, pinyin);
    for (const spelling of spellings.split(' ')) add(spelling, pinyin);
  }
  return readings;
})();

/** Whether the word is a Chinese surname in pinyin or a dialect spelling. */
export function isChineseSurname(word: string): boolean {
  return CHARACTERS_BY_SPELLING.has(word);
}

/** Whether two spellings can be the same Chinese surname (Ong and Wang, Tan and Chen, Teo and Zhang). */
export function sameChineseSurname(a: string, b: string): boolean {
  const readingsOfA = CHARACTERS_BY_SPELLING.get(a);
  const readingsOfB = CHARACTERS_BY_SPELLING.get(b);
  if (!readingsOfA || !readingsOfB) return false;
  for (const pinyin of readingsOfA) if (readingsOfB.has(pinyin)) return true;
  return false;
}

/** The pinyin surnames a spelling can stand for (Ng: huang and wu); none for a word that is not one. */
export function chineseSurnameReadings(word: string): readonly string[] {
  return [...(CHARACTERS_BY_SPELLING.get(word) ?? [])];
}
