import { isChineseSurname } from './chinese-surnames';

/**
 * Surnames that say which naming tradition a name follows, so that a rule written for one is not
 * applied to another: the given-name syllable rule holds for Korean, Chinese and Vietnamese names,
 * but Khmer romanisations vary their vowels (Samnang / Somnang, Bopha / Bupha) within one name.
 */
const KOREAN = new Set(
  (
    'kim gim lee yi i rhee park pak bak choi choe jung jeong chung kang gang cho jo yoon yun jang chang ' +
    'lim im han hahn shin sin seo suh kwon gwon hwang whang ahn an yoo yu ryu jeon jun chun ko go moon ' +
    'mun son sohn bae baek heo hur noh roh kwak sung seong song hong oh jin nam ha'
  ).split(' '),
);
// Source: Wikipedia "Vietnamese name" (family names, with their shares) and "List of Vietnamese
// family names"; Văn is left out, as it is far more often the middle name.
const VIETNAMESE = new Set(
  (
    'nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly trinh dinh mai truong ' +
    'quach lam luong ha ta cao doan dao la to chau thai kieu lai chu luu trieu tang mac khuc ton tu au ' +
    'nghiem phung quan tong than vuong giang kha lu thach hua khong hau diep dam luc ninh phi tieu'
  ).split(' '),
);
const KHMER = new Set(
  'sok sokh chan chann chea chear hun houn meas meah keo kaev touch tuch pich pech long lung sim seum ouk srey nhem vann khieu'.split(
    ' ',
  ),
);

/** Whether a family name marks the name as one of syllabic given names (Korean, Chinese, Vietnamese). */
export function hasSyllabicGivenNames(family: string): boolean {
  if (KHMER.has(family)) return false;
  return KOREAN.has(family) || VIETNAMESE.has(family) || isChineseSurname(family);
}

/**
 * Whether a family name is Vietnamese and not also a Korean or Chinese one (Lam, Ho, Ha are all
 * three): the Vietnamese rules for middle names apply to it without more evidence.
 */
export function isVietnameseSurname(family: string): boolean {
  return VIETNAMESE.has(family) && !KOREAN.has(family) && !isChineseSurname(family);
}

/**
 * Whether a word is a Vietnamese family name, Korean and Chinese ones (Ly, Lam, Ho) included: for a
 * name already known to be Vietnamese (its diacritics, the person's nationality).
 */
export function isVietnameseFamilyName(family: string): boolean {
  return VIETNAMESE.has(family);
}

export function isKhmerSurname(family: string): boolean {
  return KHMER.has(family);
}

/**
 * Whether a family name is one of the Korean, Vietnamese or Chinese surnames listed here (the Khmer
 * list holds several romanisations of one surname, so it does not count).
 */
export function isKnownSurname(family: string): boolean {
  return KOREAN.has(family) || VIETNAMESE.has(family) || isChineseSurname(family);
}
