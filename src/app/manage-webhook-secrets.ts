/**
 * Standard Webhooks signing secrets (every webhook but Meta's, which Meta's app secret signs): the
 * account's, and each event subscription's own, which signs the webhooks that subscription routes
 * (the account's signs the rest, and a subscription's when it has none of its own). Made or
 * rotated by the admin API (a subscription's first one when it is created). A rotation keeps the
 * previous secret signing too for the overlap, so receivers can switch without missing a webhook.
 */
import { randomBytes } from "node:crypto";
import type { Account } from "../core/account.ts";
import type { AppContext } from "./context.ts";
import { accountOrFail, changeSettings } from "./manage-accounts.ts";

/** The settings "dialect" the signing secrets live under, beside the faces' own. */
export const SIGNING = "webhookSigning";
export const DEFAULT_OVERLAP_MS = 86_400_000;

export interface SigningState {
  readonly secret?: string;
  readonly previous?: string;
  readonly previousUntil?: number;
}

/** The setting names of a scope: the account's (no subscription) or one subscription's. */
function keys(subscriptionId?: string) {
  const p = subscriptionId === undefined ? "" : `subscription.${subscriptionId}.`;
  return {
    secret: subscriptionId === undefined ? "secret" : `${p}secret`,
    previous: `${p}previousSecret`,
    until: `${p}previousUntil`,
  };
}

export function signingOf(account: Account, subscriptionId?: string): SigningState {
  const s = account.settings?.[SIGNING];
  const k = keys(subscriptionId);
  return {
    ...(s?.[k.secret] ? { secret: s[k.secret] } : {}),
    ...(s?.[k.previous] ? { previous: s[k.previous] } : {}),
    ...(s?.[k.until] ? { previousUntil: Number(s[k.until]) } : {}),
  };
}

function secretsOf(s: SigningState, now: number): string[] {
  const out = s.secret ? [s.secret] : [];
  if (s.previous && s.previousUntil !== undefined && now < s.previousUntil) out.push(s.previous);
  return out;
}

/**
 * The secrets that sign a webhook at `now`: the current one, and the previous during its overlap —
 * the subscription's own when the webhook was routed by a subscription that has one, else the account's.
 */
export function signingSecrets(account: Account, now: number, subscriptionId?: string): string[] {
  if (subscriptionId !== undefined) {
    const own = signingOf(account, subscriptionId);
    if (own.secret || own.previous) return secretsOf(own, now);
  }
  return secretsOf(signingOf(account), now);
}

export async function rotateWebhookSecret(
  ctx: AppContext,
  accountId: string,
  overlapMs = DEFAULT_OVERLAP_MS,
  subscriptionId?: string,
): Promise<{ secret: string; previousUntil?: number }> {
  const account = await accountOrFail(ctx, accountId);
  const old = signingOf(account, subscriptionId).secret;
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const previousUntil = ctx.clock.now() + overlapMs;
  const k = keys(subscriptionId);
  await changeSettings(ctx, accountId, {
    [SIGNING]: {
      [k.secret]: secret,
      [k.previous]: old ?? null,
      [k.until]: old ? String(previousUntil) : null,
    },
  });
  return { secret, ...(old ? { previousUntil } : {}) };
}

/** Stops signing with the scope's secrets (receivers that check will refuse what follows). */
export async function removeWebhookSecret(
  ctx: AppContext,
  accountId: string,
  subscriptionId?: string,
): Promise<void> {
  const k = keys(subscriptionId);
  await changeSettings(ctx, accountId, {
    [SIGNING]: { [k.secret]: null, [k.previous]: null, [k.until]: null },
  });
}
