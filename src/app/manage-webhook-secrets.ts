/**
 * Standard Webhooks signing secrets (every webhook but Meta's, which Meta's app secret signs): the
 * account's (in its settings), and each event subscription's own (kept with it, SubscriptionStore), which signs the webhooks that subscription routes
 * (the account's signs the rest, and a subscription's when it has none of its own). Made or
 * rotated by the admin API (a subscription's first one when it is created). A rotation keeps the
 * previous secret signing too for the overlap, so receivers can switch without missing a webhook.
 */
import { randomBytes } from "node:crypto";
import type { Account } from "../core/account.ts";
import type { AccountSubscriptions, SubscriptionSigning } from "../core/event-subscription.ts";
import { AdminError } from "./admin-error.ts";
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

/** The account's own secrets, in its settings (a subscription's are kept with it: SubscriptionStore). */
const KEYS = { secret: "secret", previous: "previousSecret", until: "previousUntil" } as const;

export function signingOf(account: Account): SigningState {
  const s = account.settings?.[SIGNING];
  return {
    ...(s?.[KEYS.secret] ? { secret: s[KEYS.secret] } : {}),
    ...(s?.[KEYS.previous] ? { previous: s[KEYS.previous] } : {}),
    ...(s?.[KEYS.until] ? { previousUntil: Number(s[KEYS.until]) } : {}),
  };
}

/** The scope's secrets: the account's, or the subscription's (undefined: the account has no such subscription). */
export async function scopeSigning(
  ctx: AppContext,
  account: Account,
  subscriptionId?: string,
): Promise<SigningState | undefined> {
  if (subscriptionId === undefined) return signingOf(account);
  const subs = await ctx.storage.subscriptions.subscriptionsOf(account.id);
  if (!subs.subscriptions.some((s) => s.subscriptionId === subscriptionId)) return undefined;
  return subs.signing[subscriptionId] ?? {};
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
export function signingSecrets(
  account: Account,
  subscriptions: AccountSubscriptions,
  now: number,
  subscriptionId?: string,
): string[] {
  if (subscriptionId !== undefined) {
    const own = subscriptions.signing[subscriptionId];
    if (own && (own.secret || own.previous)) return secretsOf(own, now);
  }
  return secretsOf(signingOf(account), now);
}

/** A new secret for the scope, the current one kept signing for `overlapMs` (none: nothing to keep). */
export function nextSigning(
  old: SigningState | undefined,
  now: number,
  overlapMs: number,
): { signing: SubscriptionSigning; secret: string; previousUntil?: number } {
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const previous = old?.secret;
  const previousUntil = now + overlapMs;
  return {
    secret,
    signing: { secret, ...(previous ? { previous, previousUntil } : {}) },
    ...(previous ? { previousUntil } : {}),
  };
}

export async function rotateWebhookSecret(
  ctx: AppContext,
  accountId: string,
  overlapMs = DEFAULT_OVERLAP_MS,
  subscriptionId?: string,
): Promise<{ secret: string; previousUntil?: number }> {
  const account = await accountOrFail(ctx, accountId);
  const old = await scopeSigning(ctx, account, subscriptionId);
  const made = nextSigning(old, ctx.clock.now(), overlapMs);
  if (subscriptionId !== undefined) {
    if (!(await ctx.storage.subscriptions.setSigning(accountId, subscriptionId, made.signing)))
      throw new AdminError(
        "not-found",
        "subscriptionId",
        `no subscription ${subscriptionId} in ${accountId}`,
      );
  } else
    await changeSettings(ctx, accountId, {
      [SIGNING]: {
        [KEYS.secret]: made.secret,
        [KEYS.previous]: made.signing.previous ?? null,
        [KEYS.until]: made.signing.previousUntil !== undefined ? String(made.signing.previousUntil) : null,
      },
    });
  return {
    secret: made.secret,
    ...(made.previousUntil !== undefined ? { previousUntil: made.previousUntil } : {}),
  };
}

/** Stops signing with the scope's secrets (receivers that check will refuse what follows). */
export async function removeWebhookSecret(
  ctx: AppContext,
  accountId: string,
  subscriptionId?: string,
): Promise<void> {
  if (subscriptionId !== undefined) {
    await ctx.storage.subscriptions.setSigning(accountId, subscriptionId, {});
    return;
  }
  await changeSettings(ctx, accountId, {
    [SIGNING]: { [KEYS.secret]: null, [KEYS.previous]: null, [KEYS.until]: null },
  });
}
