/**
 * The distributed storage: PostgreSQL through a pool of connections (node-postgres), shared by
 * every node of a cluster. A 2xx comes after COMMIT; every write of every port goes through one
 * group commit per node. Claims lease rows to this node (`lease_owner`), skipping rows another
 * node has locked, so nodes share the work and a node that died has its leases taken over when
 * they run out.
 */
import pg from "pg";
import type { PlanEvents } from "../../core/events-plan.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { MigrationState, Storage } from "../storage.ts";
import type { DueWork } from "../storage-factory.ts";
import { PgApiKeyTables } from "./pg-api-key-tables.ts";
import { PgCarrierInboxTables } from "./pg-carrier-inbox-tables.ts";
import { PgCatalogTables } from "./pg-catalog-tables.ts";
import { PgConversationTables } from "./pg-conversation-tables.ts";
import { PgFlowTables } from "./pg-flow-tables.ts";
import { PgGroupCommit, type Tx } from "./pg-group-commit.ts";
import { PgLinkTables } from "./pg-link-tables.ts";
import { PgMediaTables } from "./pg-media-tables.ts";
import { PgMessageLogTables } from "./pg-message-log-tables.ts";
import { PgMessageTables } from "./pg-message-tables.ts";
import { PgOutboxTables } from "./pg-outbox-tables.ts";
import { migrate, POSTGRES_MIGRATIONS } from "./pg-schema.ts";
import { PgSmsFailoverTables } from "./pg-sms-failover-tables.ts";
import { PgSubscriptionTables } from "./pg-subscription-tables.ts";
import { PgWebhookLogTables } from "./pg-webhook-log-tables.ts";

// BIGINT columns (times in ms, seqs) come back as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface PostgresOptions {
  /** `postgres://user@host:port/db` (a `?options=-c search_path=…` picks a schema). */
  readonly url: string;
  readonly plan: PlanEvents;
  readonly onDue?: (work: DueWork) => void;
  /** After each commit: how many writes it carried and how long it took (metrics). */
  readonly onCommitted?: (writes: number, seconds: number) => void;
  /** This node's name on the leases it takes; stable across restarts, unique in the cluster. */
  readonly nodeId: string;
  /** How long a review or phone timer leased by `pendingTemplatesDue`/`dueHandsetMessages` stays this node's. */
  readonly leaseMs: number;
  readonly poolSize?: number;
}

/**
 * The pool and group commit, for tables kept outside this adapter in the same database (the
 * simulator's): their writes join the same transactions.
 */
export interface PostgresConnection {
  readonly pool: pg.Pool;
  readonly nodeId: string;
  readonly leaseMs: number;
  /** Runs `fn` in the next group transaction; resolves once it is committed. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export class PostgresStorage implements Storage {
  readonly catalog: PgCatalogTables;
  readonly messages: PgMessageTables;
  readonly outbox: PgOutboxTables;
  readonly conversations: PgConversationTables;
  readonly smsFailovers: PgSmsFailoverTables;
  readonly links: PgLinkTables;
  readonly media: PgMediaTables;
  readonly flows: PgFlowTables;
  readonly apiKeys: PgApiKeyTables;
  readonly webhookLog: PgWebhookLogTables;
  readonly messageLog: PgMessageLogTables;
  readonly carrierInbox: PgCarrierInboxTables;
  readonly subscriptions: PgSubscriptionTables;
  readonly connection: PostgresConnection;
  readonly #pool: pg.Pool;
  readonly #group: PgGroupCommit;
  readonly #node: string;
  /** Work the transaction being committed makes due, told to `onDue` once committed. */
  readonly #due = new Set<DueWork>();
  readonly #listeners = new Set<pg.Client>();

  /** Connects, migrates (under the advisory lock) and answers the store. */
  static async open(options: PostgresOptions): Promise<PostgresStorage> {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection that breaks is dropped by the pool; without a listener it would crash the process.
    pool.on("error", () => undefined);
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    const storage = new PostgresStorage(pool, options);
    // The other nodes' subscription changes drop this node's cached ones at once; should listening
    // fail, the cache's one-second limit still holds.
    await storage.subscriptions.watch().catch(() => undefined);
    return storage;
  }

  private constructor(pool: pg.Pool, options: PostgresOptions) {
    const onDue = options.onDue ?? (() => {});
    this.#pool = pool;
    this.#node = options.nodeId;
    const onCommitted = options.onCommitted ?? (() => {});
    const group = new PgGroupCommit(pool, (writes, seconds) => {
      onCommitted(writes, seconds);
      for (const work of this.#due) onDue(work);
      this.#due.clear();
    });
    this.#group = group;
    const due = (work: DueWork) => this.#due.add(work);
    this.connection = {
      pool,
      nodeId: options.nodeId,
      leaseMs: options.leaseMs,
      write: (fn) => group.write(fn),
    };
    this.outbox = new PgOutboxTables(pool, group, options.nodeId);
    const outbox = this.outbox;
    const insertWebhooks = async (tx: Tx, list: readonly NewWebhook[]) => {
      if (list.length === 0) return;
      due("webhooks");
      await outbox.insert(tx, list);
    };
    this.catalog = new PgCatalogTables(
      pool,
      group,
      insertWebhooks,
      { node: options.nodeId, ms: options.leaseMs },
      (channel, onNotify) => this.#listen(options.url, channel, onNotify),
    );
    this.conversations = new PgConversationTables(pool, group, insertWebhooks);
    this.links = new PgLinkTables(pool, group, insertWebhooks);
    this.media = new PgMediaTables(pool, group);
    this.flows = new PgFlowTables(pool, group);
    this.apiKeys = new PgApiKeyTables(pool, group);
    this.webhookLog = new PgWebhookLogTables(pool, group, due, insertWebhooks);
    this.messageLog = new PgMessageLogTables(pool);
    this.carrierInbox = new PgCarrierInboxTables(pool, group, due, options.nodeId);
    this.subscriptions = new PgSubscriptionTables(pool, group, (channel, onNotify) =>
      this.#listen(options.url, channel, onNotify),
    );
    this.smsFailovers = new PgSmsFailoverTables(pool, group, insertWebhooks, options.nodeId);
    this.messages = new PgMessageTables(
      {
        pool,
        group,
        insertWebhooks,
        links: this.links,
        sms: this.smsFailovers,
        subscriptions: this.subscriptions,
        due,
        node: options.nodeId,
      },
      options.plan,
    );
  }

  /** A connection of its own, LISTENing on `channel` until stopped (NOTIFY needs one outside the pool). */
  async #listen(url: string, channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: url });
    // A listener that loses its connection stops hearing; the caches' own expiry still holds.
    client.on("error", () => undefined);
    client.on("notification", (n) => {
      if (n.channel === channel) onNotify();
    });
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    this.#listeners.add(client);
    return async () => {
      if (!this.#listeners.delete(client)) return;
      await client.end();
    };
  }

  /** Transactions and writes committed so far (for the store's metrics). */
  get commitStats(): { readonly commits: number; readonly writes: number } {
    return this.#group.stats;
  }

  /** Several nodes share the database: at start a node frees its own leases only, as at a stop. */
  releaseAllLeases(): Promise<void> {
    return this.releaseOwnLeases();
  }

  async migrations(): Promise<MigrationState> {
    const { rows } = await this.#pool.query("SELECT max(version) AS v FROM schema_migrations");
    return { known: POSTGRES_MIGRATIONS.length, applied: Number(rows[0]?.v ?? 0) };
  }

  /** Frees the leases this node holds (its name is on them), so other nodes take the work at once. */
  releaseOwnLeases(): Promise<void> {
    return this.#group.write(async (tx) => {
      const node = [this.#node];
      await tx.query(
        "UPDATE messages SET lease_until = NULL WHERE lease_owner = $1 AND lease_until IS NOT NULL AND status = 'accepted'",
        node,
      );
      await tx.query(
        "UPDATE webhooks SET lease_until = NULL WHERE lease_owner = $1 AND lease_until IS NOT NULL AND state = 'pending'",
        node,
      );
      await tx.query(
        "UPDATE sms_failovers SET lease_until = NULL WHERE lease_owner = $1 AND lease_until IS NOT NULL AND state = 'pending'",
        node,
      );
      await tx.query(
        "UPDATE templates SET lease_until = NULL WHERE lease_owner = $1 AND lease_until IS NOT NULL",
        node,
      );
      await tx.query(
        "UPDATE handset_messages SET lease_until = NULL WHERE lease_owner = $1 AND lease_until IS NOT NULL",
        node,
      );
      await tx.query(
        "UPDATE carrier_inbox SET lease_until = NULL WHERE lease_owner = $1 AND lease_until IS NOT NULL AND state = 'pending'",
        node,
      );
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#listeners].map((c) => c.end()));
    this.#listeners.clear();
    await this.#group.drained();
    await this.#pool.end();
  }
}
