/**
 * An account's Standard Webhooks signing secret (every webhook but Meta's, which Meta's app secret
 * signs): made or rotated by the admin API. A rotation keeps the previous secret signing too for
 * the overlap, so receivers can switch without missing a webhook.
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

export function signingOf(account: Account): SigningState {
  const s = account.settings?.[SIGNING];
  return {
    ...(s?.secret ? { secret: s.secret } : {}),
    ...(s?.previousSecret ? { previous: s.previousSecret } : {}),
    ...(s?.previousUntil ? { previousUntil: Number(s.previousUntil) } : {}),
  };
}

/** The secrets that sign a webhook at `now`: the current one, and the previous during its overlap. */
export function signingSecrets(account: Account, now: number): string[] {
  const s = signingOf(account);
  const out = s.secret ? [s.secret] : [];
  if (s.previous && s.previousUntil !== undefined && now < s.previousUntil) out.push(s.previous);
  return out;
}

export async function rotateWebhookSecret(
  ctx: AppContext,
  accountId: string,
  overlapMs = DEFAULT_OVERLAP_MS,
): Promise<{ secret: string; previousUntil?: number }> {
  const account = await accountOrFail(ctx, accountId);
  const old = signingOf(account).secret;
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const previousUntil = ctx.clock.now() + overlapMs;
  await changeSettings(ctx, accountId, {
    [SIGNING]: {
      secret,
      previousSecret: old ?? null,
      previousUntil: old ? String(previousUntil) : null,
    },
  });
  return { secret, ...(old ? { previousUntil } : {}) };
}

/** Stops signing: removes the secrets (receivers that check will refuse what follows). */
export async function removeWebhookSecret(ctx: AppContext, accountId: string): Promise<void> {
  await changeSettings(ctx, accountId, {
    [SIGNING]: { secret: null, previousSecret: null, previousUntil: null },
  });
}
