/**
 * Spellings that passports, visas and police records use for the same name word. Each line is one
 * name; the first spelling is the key the others are folded to. Only well-known surnames and name
 * words are listed: a wrong fold would merge two different people, so anything not listed is left to
 * the phonetic and spelling comparisons, which score lower.
 */
const VARIANT_GROUPS: readonly string[] = [
  // Korean surnames (Revised Romanization, McCune-Reischauer and the spellings families chose).
  'kim gim ghim kym',
  'lee yi i rhee ri rhie yee ly lei li',
  'park pak bak bahk parck',
  'choi choe choy chwe chey',
  'jung jeong chung chong joung jong cheong',
  'kang gang',
  'cho jo joe',
  'yoon yun youn',
  'jang chang',
  'lim im rim yim',
  'han hahn',
  'shin sin sheen shinn',
  'seo suh seoh',
  'kwon gwon kweon',
  'hwang whang',
  'ahn an ann',
  'yoo yu you ryu ryoo rhyu',
  'jeon jun chun chon',
  'ko go koh',
  'moon mun',
  'son sohn',
  'bae pae',
  'baek paek paik baik back',
  'heo hur huh her',
  'noh roh no ro',
  'kwak gwak',
  'sung seong',
  'joo ju choo chu',
  'woo wu',
  'ji jee chi',
  'eom um uhm eum',
  'bang pang',
  'gong kong',
  'hyun hyeon hyon',
  'yeo yuh',
  'seok suk',
  'yook yuk yug',
  'myung myeong myong',
  'oh o',
  // Khmer surnames.
  'sok sokh sock',
  'chan chann',
  'chea chear chia',
  'hun houn hoon hon',
  'meas meah',
  'keo kaev keav',
  'touch tuch toch',
  // Also the Korean surname 옥 (Ok, Oak): a Khmer Ouk and a Korean Ok are told apart by the given names.
  'ouk ok uk oak',
  'pich peach pech',
  'srey srei',
  'nhem nhim',
  'vann van',
  'sim seum',
  'long lung',
  // Vietnamese surnames, once the diacritics are gone.
  'nguyen ngyuen nguen nguyn nuguyen',
  'pham fam',
  'huynh hunh',
  'dang dhang',
  // Malay and Arabic name words.
  'muhammad mohammad mohammed mohamad mohamed muhamad muhammed mohd muhd md',
  'abdul abd',
  'nur noor nor',
];

const KEY_BY_SPELLING: ReadonlyMap<string, string> = buildKeyBySpelling(VARIANT_GROUPS);

function buildKeyBySpelling(groups: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const group of groups) {
    const [key, ...spellings] = group.split(' ');
    for (const spelling of [key, ...spellings]) {
      if (keys.has(spelling)) throw new Error(`"${spelling}" is listed in two romanisation groups`);
      keys.set(spelling, key);
    }
  }
  return keys;
}

/** The key shared by all listed spellings of a name word; an unlisted word is its own key. */
export function romanisationKey(word: string): string {
  return KEY_BY_SPELLING.get(word) ?? word;
}

// Listed above for their spellings, but given-name words: one at the start of a name says nothing of
// which word is the family name ("Md Shafiq Mansor").
const GIVEN_NAME_WORDS: ReadonlySet<string> = new Set(['muhammad', 'abdul', 'nur']);

/** Whether the word is a listed spelling of a family name. */
export function isListedSurname(word: string): boolean {
  const key = KEY_BY_SPELLING.get(word);
  return key !== undefined && !GIVEN_NAME_WORDS.has(key);
}

/** Whether two different spellings are listed as the same name. */
export function isListedVariant(word: string): boolean {
  return KEY_BY_SPELLING.has(word);
}
