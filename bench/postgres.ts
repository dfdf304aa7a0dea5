/**
 * PostgreSQL for the bench: a fresh database per deployment (made and dropped as the PostgreSQL
 * suites do theirs: through the `postgres` maintenance database on 127.0.0.1:5432, or
 * OPENBSP_TEST_PG_ADMIN_URL), and what the bench reads
 * from the server about it: its statistics (pg_stat_database), what its backends are doing
 * (pg_stat_activity, sampled), and their CPU time (/proc), for the profile of where its time goes.
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { createTestDatabase } from "../test/support/postgres.ts";

/**
 * Why PostgreSQL rows cannot run (no server reachable), or undefined when they can; with
 * OPENBSP_TEST_REQUIRE_POSTGRES set (CI) it throws instead, as the PostgreSQL suites do.
 */
export { postgresUnavailable } from "../test/support/postgres.ts";

export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh database, made as the PostgreSQL suites make theirs (test/support/postgres.ts). */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const db = await createTestDatabase();
  return { name: new URL(db.url).pathname.slice(1), url: db.url, drop: db.drop };
}

/** The acknowledged ids that are not in the database's messages table. */
export async function missingMessages(url: string, ids: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let missing = 0;
    for (let i = 0; i < ids.length; i += 10_000) {
      const chunk = ids.slice(i, i + 10_000);
      const { rows } = await client.query<{ n: string }>(
        "SELECT count(DISTINCT message_id) AS n FROM messages WHERE message_id = ANY($1::text[])",
        [chunk],
      );
      missing += chunk.length - Number(rows[0]?.n ?? 0);
    }
    return missing;
  } finally {
    await client.end();
  }
}

/** The database's counters (pg_stat_database; times in ms). */
interface DatabaseStats {
  readonly commits: number;
  readonly rollbacks: number;
  readonly activeMs: number;
  readonly idleInTransactionMs: number;
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
  readonly returned: number;
}

const TICK_MS = 10; // /proc's clock ticks are 1/100 s on Linux (CLK_TCK 100)

/** CPU time (user + system, ms) of a process, from /proc; 0 when it is gone or unreadable. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** What the database's backends did over a window, and where their time went. */
export interface PostgresWindow {
  readonly seconds: number;
  readonly stats: DatabaseStats;
  /** CPU ms of the database's backends over the window. */
  readonly backendCpuMs: number;
  /** Share of the samples per state (`active: CPU`, `active: IO/WALSync`, `idle in transaction`, `idle`…). */
  readonly samples: ReadonlyMap<string, number>;
  readonly sampleCount: number;
}

/**
 * Watches the database's backends from `start()` to `stop()`: a sample of pg_stat_activity every
 * `everyMs` (state and wait event of each backend, this watcher's own excluded), the database's
 * counters before and after, and each backend's CPU from /proc.
 */
export class PostgresWatch {
  readonly #client: pg.Client;
  readonly #name: string;
  #before: DatabaseStats | undefined;
  #started = 0;
  #timer: NodeJS.Timeout | undefined;
  #cpuAtStart = new Map<number, number>();
  #pids = new Set<number>();
  #samples = new Map<string, number>();
  #sampleCount = 0;
  #sampling: Promise<void> = Promise.resolve();

  private constructor(client: pg.Client, name: string) {
    this.#client = client;
    this.#name = name;
  }

  static async open(url: string, name: string): Promise<PostgresWatch> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new PostgresWatch(client, name);
  }

  async #stats(): Promise<DatabaseStats> {
    const { rows } = await this.#client.query(
      `SELECT xact_commit, xact_rollback, active_time, idle_in_transaction_time,
              tup_inserted, tup_updated, tup_deleted, tup_returned
         FROM pg_stat_database WHERE datname = $1`,
      [this.#name],
    );
    const r = rows[0] ?? {};
    return {
      commits: Number(r.xact_commit ?? 0),
      rollbacks: Number(r.xact_rollback ?? 0),
      activeMs: Number(r.active_time ?? 0),
      idleInTransactionMs: Number(r.idle_in_transaction_time ?? 0),
      inserted: Number(r.tup_inserted ?? 0),
      updated: Number(r.tup_updated ?? 0),
      deleted: Number(r.tup_deleted ?? 0),
      returned: Number(r.tup_returned ?? 0),
    };
  }

  async #sample(): Promise<void> {
    const { rows } = await this.#client.query<{
      pid: number;
      state: string | null;
      wait_event_type: string | null;
      wait_event: string | null;
    }>(
      `SELECT pid, state, wait_event_type, wait_event FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      [this.#name],
    );
    for (const r of rows) {
      if (!this.#pids.has(r.pid)) {
        this.#pids.add(r.pid);
        if (!this.#cpuAtStart.has(r.pid)) this.#cpuAtStart.set(r.pid, cpuMs(r.pid));
      }
      const state = r.state ?? "unknown";
      const what =
        state === "active"
          ? r.wait_event_type
            ? `active, waiting on ${r.wait_event_type}/${r.wait_event}`
            : "active, on CPU"
          : state === "idle in transaction"
            ? "idle in transaction (waiting on the node)"
            : state === "idle"
              ? "idle (no transaction)"
              : state;
      this.#samples.set(what, (this.#samples.get(what) ?? 0) + 1);
      this.#sampleCount++;
    }
  }

  async start(everyMs = 20): Promise<void> {
    this.#before = await this.#stats();
    this.#samples.clear();
    this.#sampleCount = 0;
    this.#pids.clear();
    this.#cpuAtStart.clear();
    this.#started = performance.now();
    await this.#sample();
    const tick = () => {
      this.#sampling = this.#sample()
        .catch(() => undefined)
        .then(() => {
          if (this.#timer) this.#timer = setTimeout(tick, everyMs);
        });
    };
    this.#timer = setTimeout(tick, everyMs);
  }

  async stop(): Promise<PostgresWindow> {
    const seconds = (performance.now() - this.#started) / 1000;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#sampling;
    const after = await this.#stats();
    const before = this.#before as DatabaseStats;
    let backendCpuMs = 0;
    for (const pid of this.#pids) backendCpuMs += Math.max(0, cpuMs(pid) - (this.#cpuAtStart.get(pid) ?? 0));
    const stats = Object.fromEntries(
      Object.entries(after).map(([k, v]) => [k, v - (before[k as keyof DatabaseStats] ?? 0)]),
    ) as unknown as DatabaseStats;
    return { seconds, stats, backendCpuMs, samples: new Map(this.#samples), sampleCount: this.#sampleCount };
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#sampling;
    await this.#client.end();
  }
}
