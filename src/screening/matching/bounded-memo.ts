/**
 * Remembers the results of a pure function of a string. Names repeat a lot across entries (a
 * fifth of Korean entries are Kims), so transliterating and folding each spelling once makes fresh
 * database rows nearly as cheap to score as cached ones. The cache is emptied when full, so a
 * long-running server never grows it without bound.
 */
export function boundedMemo<R>(compute: (key: string) => R, maxEntries = 50_000): (key: string) => R {
  const results = new Map<string, R>();
  return (key: string) => {
    let result = results.get(key);
    if (result === undefined) {
      if (results.size >= maxEntries) results.clear();
      result = compute(key);
      results.set(key, result);
    }
    return result;
  };
}
