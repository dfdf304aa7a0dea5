/**
 * Sandbox rules name numbers by pattern: digits, with `*` for any run of digits. The most specific
 * matching rule wins (most literal digits; the newest on a tie).
 */
/**
 * Wildcard match in linear-ish time (one backtrack point, as glob matchers do): a regular
 * expression built from `*`s backtracks exponentially on a long number that almost matches.
 */
export function matches(pattern: string, number: string): boolean {
  if (!/^\d*$/.test(number)) return false;
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < number.length) {
    if (p < pattern.length && pattern[p] === number[n]) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

export function ruleFor<R extends { readonly pattern: string }>(
  rules: readonly R[],
  number: string,
): R | undefined {
  let best: R | undefined;
  let bestScore = -1;
  for (const r of rules) {
    if (!matches(r.pattern, number)) continue;
    const score = r.pattern.replace(/\*/g, "").length;
    if (score >= bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

export const PATTERN = /^[0-9*]{1,24}$/;
