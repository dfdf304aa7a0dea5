/**
 * An account's API keys: made with a random secret shown once (or, for the seeded account, the
 * configured one), kept as a hash, revoked for good. A revoked key fails at once on this node's
 * faces (the cache is dropped) and within the cache's second on any other.
 */
import { randomBytes } from "node:crypto";
import type { ApiKey } from "../core/api-key.ts";
import { hashApiKey } from "../store/api-key-store.ts";
import { AdminError } from "./admin-error.ts";
import type { AppContext } from "./context.ts";
import { accountOrFail } from "./manage-accounts.ts";

export interface MadeKey {
  readonly key: ApiKey;
  /** The secret itself: shown to the caller this once, never stored. */
  readonly secret: string;
}

export const newApiKeySecret = () => `obsp_${randomBytes(24).toString("base64url")}`;

/** Makes a key for the account; `fixed` gives the id and secret (the seed's configured key). */
export async function createApiKey(
  ctx: AppContext,
  accountId: string,
  options: { readonly name?: string; readonly fixed?: { readonly id: string; readonly secret: string } } = {},
): Promise<MadeKey> {
  await accountOrFail(ctx, accountId);
  const secret = options.fixed?.secret ?? newApiKeySecret();
  const key: ApiKey = {
    id: options.fixed?.id ?? `key-${randomBytes(8).toString("hex")}`,
    accountId,
    hash: hashApiKey(secret),
    hint: secret.slice(-4),
    createdAt: ctx.clock.now(),
    ...(options.name !== undefined ? { name: options.name } : {}),
  };
  const holder = await ctx.storage.apiKeys.findActiveKey(key.hash);
  if (holder && holder.id !== key.id) throw new AdminError("conflict", "key", "that key is in use");
  await ctx.storage.apiKeys.putKey(key);
  ctx.lookups.accountsChanged();
  return { key, secret };
}

export async function revokeApiKey(ctx: AppContext, accountId: string, keyId: string): Promise<void> {
  await accountOrFail(ctx, accountId);
  if (!(await ctx.storage.apiKeys.revokeKey(accountId, keyId, ctx.clock.now())))
    throw new AdminError("not-found", "keyId", `account ${accountId} has no active key ${keyId}`);
  ctx.lookups.accountsChanged();
}
