/**
 * Accounts as the admin API (and the first start's seed) makes them: create, list, delete, and
 * each dialect's settings (webhook URLs, secrets) changed key by key.
 */
import { randomBytes } from "node:crypto";
import type { Account } from "../core/account.ts";
import { AdminError } from "./admin-error.ts";
import type { AppContext } from "./context.ts";

export interface NewAccount {
  /** Given by the caller (the seed's fixed id), else generated. */
  readonly id?: string;
  readonly name: string;
  readonly businessVerified?: boolean;
}

export const newAccountId = () => `acc-${randomBytes(8).toString("hex")}`;

export async function createAccount(ctx: AppContext, input: NewAccount): Promise<Account> {
  const id = input.id ?? newAccountId();
  if (input.id && (await ctx.storage.catalog.getAccount(id)))
    throw new AdminError("conflict", "id", `an account ${id} exists already`);
  const account: Account = {
    id,
    name: input.name,
    secret: randomBytes(32).toString("hex"),
    businessVerified: input.businessVerified ?? false,
  };
  await ctx.storage.catalog.upsertAccount(account);
  return account;
}

/** Renames the account or changes its verification; its secret, keys and settings stay. */
export async function changeAccount(
  ctx: AppContext,
  id: string,
  changes: { readonly name?: string; readonly businessVerified?: boolean },
): Promise<Account> {
  const account = await accountOrFail(ctx, id);
  const changed: Account = {
    ...account,
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.businessVerified !== undefined ? { businessVerified: changes.businessVerified } : {}),
  };
  await ctx.storage.catalog.upsertAccount(changed);
  ctx.lookups.accountsChanged();
  return changed;
}

/** Deletes the account, its senders and event subscriptions, and revokes its keys: they fail on every face at once. */
export async function deleteAccount(ctx: AppContext, id: string): Promise<void> {
  await accountOrFail(ctx, id);
  const now = ctx.clock.now();
  for (const key of await ctx.storage.apiKeys.listKeys(id))
    if (key.revokedAt === undefined) await ctx.storage.apiKeys.revokeKey(id, key.id, now);
  await ctx.storage.catalog.deleteAccount(id);
  await ctx.storage.subscriptions.deleteAccountSubscriptions(id);
  ctx.lookups.accountsChanged();
  ctx.lookups.sendersChanged();
}

/** Sets each named setting of each dialect, or removes it when null; the others stay. */
export async function changeSettings(
  ctx: AppContext,
  id: string,
  changes: Readonly<Record<string, Readonly<Record<string, string | null>>>>,
): Promise<Account> {
  await accountOrFail(ctx, id);
  for (const [dialect, settings] of Object.entries(changes))
    await ctx.storage.catalog.updateAccountSettings(id, dialect, settings);
  ctx.lookups.accountsChanged();
  return accountOrFail(ctx, id);
}

export async function accountOrFail(ctx: AppContext, id: string): Promise<Account> {
  const account = await ctx.storage.catalog.getAccount(id);
  if (!account) throw new AdminError("not-found", "accountId", `no account ${id}`);
  return account;
}
