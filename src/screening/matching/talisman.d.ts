// talisman ships CommonJS without type declarations; these cover the two functions the engine uses.
declare module 'talisman/metrics/jaro-winkler' {
  function jaroWinkler(a: string, b: string): number;
  export = jaroWinkler;
}

declare module 'talisman/phonetics/double-metaphone' {
  function doubleMetaphone(word: string): [string, string];
  export = doubleMetaphone;
}
