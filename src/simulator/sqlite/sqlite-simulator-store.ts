/**
 * The simulator's storage on SQLite. Its tables live in the SQLite adapter's file and its writes
 * join that adapter's group commit: the caller hands over the database handle and write function
 * (SqliteStorage's `connection`), so this folder imports nothing of the adapter.
 */
import type Database from "better-sqlite3";
import type { SimulatorStore } from "../simulator-store.ts";
import { SqliteNetworkTables } from "./sqlite-network-tables.ts";
import { SqliteSmscTables } from "./sqlite-smsc-tables.ts";

export interface SqliteHandle {
  readonly db: Database.Database;
  write<T>(fn: () => T): Promise<T>;
}

export function sqliteSimulatorStore(handle: SqliteHandle): SimulatorStore {
  const write = <T>(fn: () => T) => handle.write(fn);
  return { network: new SqliteNetworkTables(handle.db, write), smsc: new SqliteSmscTables(handle.db, write) };
}
