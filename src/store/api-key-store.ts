/**
 * API keys per account, stored as hashes. Read on every request that misses the key cache
 * (src/app/lookups.ts); written when a key is made or revoked.
 */
import { createHash } from "node:crypto";
import type { ApiKey } from "../core/api-key.ts";

/**
 * The hash every adapter stores and looks a key up by. Keys are long random strings, so one
 * SHA-256 suffices (no slow password hash: it would cost every uncached request).
 */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export interface ApiKeyStore {
  /** Creates the key, or replaces the one with its id (hash, hint and name; never un-revokes). */
  putKey(key: ApiKey): Promise<void>;
  /** The account's keys, revoked ones included, oldest first. */
  listKeys(accountId: string): Promise<ApiKey[]>;
  /** Revokes the account's key; false when the account has no such key (or it was revoked already). */
  revokeKey(accountId: string, id: string, at: number): Promise<boolean>;
  /** The key with that hash, unless revoked. */
  findActiveKey(hash: string): Promise<ApiKey | undefined>;
}
