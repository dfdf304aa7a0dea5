/**
 * SQLite's side of the schema: the SQLite form of every step of the one migration list
 * (src/store/migrations.ts); `PRAGMA user_version` records how many ran.
 */
import type Database from "better-sqlite3";
import { hashApiKey } from "../api-key-store.ts";
import { MIGRATIONS } from "../migrations.ts";

export const SQLITE_MIGRATIONS: readonly string[] = MIGRATIONS.map((m) => m.sqlite);

/** Runs the migrations not yet applied, each in its own transaction. */
export function migrate(db: Database.Database): void {
  // The API key migration hashes the keys it moves as api-key-store.ts hashes every key.
  db.function("openbsp_sha256", { deterministic: true }, (v: unknown) => hashApiKey(String(v)));
  const version = db.pragma("user_version", { simple: true }) as number;
  for (let i = version; i < SQLITE_MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[i] as string);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
