/** The API key port on SQLite: hashes of account keys; writes go through the group commit. */
import type Database from "better-sqlite3";
import type { ApiKey } from "../../core/api-key.ts";
import type { ApiKeyStore } from "../api-key-store.ts";
import { toApiKey } from "../table-rows.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;

export class SqliteApiKeyTables implements ApiKeyStore {
  readonly #db: Database.Database;
  readonly #write: Write;
  /** Every request whose key is not cached reads this: prepared once. */
  readonly #byHash: Database.Statement;

  constructor(db: Database.Database, write: Write) {
    this.#db = db;
    this.#write = write;
    this.#byHash = db.prepare("SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL");
  }

  putKey(k: ApiKey): Promise<void> {
    return this.#write(() => {
      this.#db
        .prepare(
          `INSERT INTO api_keys (id, account_id, hash, hint, name, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, hint = excluded.hint, name = excluded.name`,
        )
        .run(k.id, k.accountId, k.hash, k.hint, k.name ?? null, k.createdAt, k.revokedAt ?? null);
    });
  }

  async listKeys(accountId: string): Promise<ApiKey[]> {
    const rows = this.#db
      .prepare("SELECT * FROM api_keys WHERE account_id = ? ORDER BY created_at, id")
      .all(accountId) as Row[];
    return rows.map(toApiKey);
  }

  revokeKey(accountId: string, id: string, at: number): Promise<boolean> {
    return this.#write(
      () =>
        this.#db
          .prepare(
            "UPDATE api_keys SET revoked_at = ? WHERE account_id = ? AND id = ? AND revoked_at IS NULL",
          )
          .run(at, accountId, id).changes === 1,
    );
  }

  async findActiveKey(hash: string): Promise<ApiKey | undefined> {
    const row = this.#byHash.get(hash) as Row | undefined;
    return row && toApiKey(row);
  }
}
