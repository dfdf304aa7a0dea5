/**
 * SQLite's side of the schema: the SQLite form of every step of the one migration list
 * (src/store/migrations.ts); `PRAGMA user_version` records how many ran.
 */
import type Database from "better-sqlite3";
import { MIGRATIONS } from "../migrations.ts";

export const SQLITE_MIGRATIONS: readonly string[] = MIGRATIONS.map((m) => m.sqlite);

/** Runs the migrations not yet applied, each in its own transaction. */
export function migrate(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  for (let i = version; i < SQLITE_MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[i] as string);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
