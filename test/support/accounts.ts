/** Accounts made straight in a test's store, with a known API key (kept as its hash, as the admin API does). */
import type { Account } from "../../src/core/account.ts";
import { hashApiKey } from "../../src/store/api-key-store.ts";
import type { Storage } from "../../src/store/storage.ts";

export async function addAccount(
  storage: Storage,
  account: Omit<Account, "secret"> & { readonly apiKey: string },
): Promise<Account> {
  const { apiKey, ...rest } = account;
  const stored: Account = { ...rest, secret: `secret-of-${account.id}` };
  await storage.catalog.upsertAccount(stored);
  await storage.apiKeys.putKey({
    id: `key-${account.id}`,
    accountId: account.id,
    hash: hashApiKey(apiKey),
    hint: apiKey.slice(-4),
    createdAt: 0,
  });
  return stored;
}
