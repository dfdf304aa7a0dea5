/** The API key port on PostgreSQL: hashes of account keys; writes go through the group commit. */
import type { Pool } from "pg";
import type { ApiKey } from "../../core/api-key.ts";
import type { ApiKeyStore } from "../api-key-store.ts";
import { toApiKey } from "../table-rows.ts";
import type { PgGroupCommit } from "./pg-group-commit.ts";

export class PgApiKeyTables implements ApiKeyStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
  ) {}

  putKey(k: ApiKey): Promise<void> {
    return this.group.write(async (tx) => {
      await tx.query(
        `INSERT INTO api_keys (id, account_id, hash, hint, name, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, hint = excluded.hint, name = excluded.name`,
        [k.id, k.accountId, k.hash, k.hint, k.name ?? null, k.createdAt, k.revokedAt ?? null],
      );
    });
  }

  async listKeys(accountId: string): Promise<ApiKey[]> {
    const { rows } = await this.pool.query(
      'SELECT * FROM api_keys WHERE account_id = $1 ORDER BY created_at, id COLLATE "C"',
      [accountId],
    );
    return rows.map(toApiKey);
  }

  revokeKey(accountId: string, id: string, at: number): Promise<boolean> {
    return this.group.write(
      async (tx) =>
        (
          await tx.query(
            "UPDATE api_keys SET revoked_at = $1 WHERE account_id = $2 AND id = $3 AND revoked_at IS NULL",
            [at, accountId, id],
          )
        ).rowCount === 1,
    );
  }

  async findActiveKey(hash: string): Promise<ApiKey | undefined> {
    const { rows } = await this.pool.query("SELECT * FROM api_keys WHERE hash = $1 AND revoked_at IS NULL", [
      hash,
    ]);
    return rows[0] && toApiKey(rows[0]);
  }
}
