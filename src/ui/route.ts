/** Hash routes: the fragment never reaches a server, which keeps invite keys private. Pure (no window), so it is fuzzed in Node. */
export type Route =
  | { name: 'cases' }
  | { name: 'case'; caseId: string; /** `#/case/<id>/print/<n>`: the print view of agreed version n. */ print?: number }
  | { name: 'join'; hash: string };

export function parseRoute(hash: string): Route {
  if (hash.startsWith('#/join')) return { name: 'join', hash };
  const print = /^#\/case\/([0-9a-f-]{36})\/print\/(\d{1,6})$/.exec(hash);
  if (print) return { name: 'case', caseId: print[1]!, print: Number(print[2]) };
  const match = /^#\/case\/([0-9a-f-]{36})$/.exec(hash);
  if (match) return { name: 'case', caseId: match[1]! };
  return { name: 'cases' };
}
