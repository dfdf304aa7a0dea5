/** What the simulator's PostgreSQL tables are given: the adapter's pool and group commit (its `connection`). */
import type { Pool, PoolClient } from "pg";

export type Tx = Pick<PoolClient, "query">;

export interface PostgresHandle {
  readonly pool: Pool;
  /** This node's name on the phone timers it leases. */
  readonly nodeId: string;
  readonly leaseMs: number;
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}
