/**
 * Sandbox rules name numbers by pattern: digits, with `*` for any run of digits. The most specific
 * matching rule wins (most literal digits; the newest on a tie).
 */
import type { SandboxRule } from "../../store/store.ts";

export function matches(pattern: string, number: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[^0-9*]/g, "").replace(/\*/g, "\\d*")}$`);
  return re.test(number);
}

export function ruleFor(rules: readonly SandboxRule[], number: string): SandboxRule | undefined {
  let best: SandboxRule | undefined;
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
