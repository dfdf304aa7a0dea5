/**
 * The simulator's storage on PostgreSQL. Its tables live in the PostgreSQL adapter's database and
 * its writes join that adapter's group commit: the caller hands over the pool and write function
 * (PostgresStorage's `connection`), so this folder imports nothing of the adapter.
 */
import type { SimulatorStore } from "../simulator-store.ts";
import { PgNetworkTables } from "./pg-network-tables.ts";
import { PgSmscTables } from "./pg-smsc-tables.ts";
import type { PostgresHandle } from "./postgres-handle.ts";

export type { PostgresHandle } from "./postgres-handle.ts";

export function postgresSimulatorStore(handle: PostgresHandle): SimulatorStore {
  return { network: new PgNetworkTables(handle), smsc: new PgSmscTables(handle) };
}
