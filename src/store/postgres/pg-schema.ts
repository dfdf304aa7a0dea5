/**
 * PostgreSQL's side of the schema: the PostgreSQL form of every step of the one migration list
 * (src/store/migrations.ts), applied at start under an advisory lock, so several nodes starting at
 * once apply each step exactly once; `schema_migrations` records how many ran.
 */
import type { Pool } from "pg";
import { MIGRATIONS } from "../migrations.ts";

/** The advisory lock's key: any constant the product's other locks do not use. */
const MIGRATION_LOCK = 4_207_110_001;

export const POSTGRES_MIGRATIONS: readonly string[] = MIGRATIONS.map((m) => m.postgres);

/** Runs the migrations not yet applied, each in its own transaction; answers how many are applied. */
export async function migrate(pool: Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL)");
      const { rows } = await client.query("SELECT max(version) AS v FROM schema_migrations");
      const version = Number(rows[0]?.v ?? 0);
      for (let i = version; i < POSTGRES_MIGRATIONS.length; i++) {
        await client.query("BEGIN");
        try {
          await client.query(POSTGRES_MIGRATIONS[i] as string);
          await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [i + 1]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      }
      return POSTGRES_MIGRATIONS.length;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
