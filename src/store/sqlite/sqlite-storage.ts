/**
 * The embedded storage: one SQLite file in WAL mode. A write's promise resolves once its commit is
 * on disk: SQLite commits without waiting for the disk (synchronous=NORMAL) and the group commit
 * then fsyncs the log on libuv's thread pool, so the store's thread goes on working during the
 * fsync instead of blocking in it. (An in-memory database has nothing to sync.) better-sqlite3 is
 * synchronous; the ports are asynchronous for PostgreSQL's sake. Each port is a class of tables;
 * every write of every port goes through one group commit.
 */
import { closeSync, fdatasync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { PlanEvents } from "../../core/events-plan.ts";
import type { MigrationState, Storage } from "../storage.ts";
import type { DueWork } from "../storage-factory.ts";
import { GroupCommit, type Sync } from "./group-commit.ts";
import { migrate, SQLITE_MIGRATIONS } from "./schema.ts";
import { SqliteApiKeyTables } from "./sqlite-api-key-tables.ts";
import { SqliteCarrierInboxTables } from "./sqlite-carrier-inbox-tables.ts";
import { SqliteCatalogTables } from "./sqlite-catalog-tables.ts";
import { SqliteConversationTables } from "./sqlite-conversation-tables.ts";
import { SqliteFlowTables } from "./sqlite-flow-tables.ts";
import { SqliteLinkTables } from "./sqlite-link-tables.ts";
import { SqliteMediaTables } from "./sqlite-media-tables.ts";
import { SqliteMessageLogTables } from "./sqlite-message-log-tables.ts";
import { SqliteMessageTables } from "./sqlite-message-tables.ts";
import { SqliteOutboxTables } from "./sqlite-outbox-tables.ts";
import { SqliteSmsFailoverTables } from "./sqlite-sms-failover-tables.ts";
import { SqliteSubscriptionTables } from "./sqlite-subscription-tables.ts";
import { SqliteWebhookLogTables } from "./sqlite-webhook-log-tables.ts";
import { prepareStatements } from "./statements.ts";

/**
 * The database handle and its group commit, for tables kept outside this adapter in the same file
 * (the simulator's): their writes join the same transactions.
 */
export interface SqliteConnection {
  readonly db: Database.Database;
  /** Runs `fn` in the next group commit; resolves once it is on disk. */
  write<T>(fn: () => T): Promise<T>;
}

export class SqliteStorage implements Storage {
  readonly catalog: SqliteCatalogTables;
  readonly apiKeys: SqliteApiKeyTables;
  readonly webhookLog: SqliteWebhookLogTables;
  readonly messages: SqliteMessageTables;
  readonly messageLog: SqliteMessageLogTables;
  readonly outbox: SqliteOutboxTables;
  readonly conversations: SqliteConversationTables;
  readonly smsFailovers: SqliteSmsFailoverTables;
  readonly links: SqliteLinkTables;
  readonly media: SqliteMediaTables;
  readonly flows: SqliteFlowTables;
  readonly carrierInbox: SqliteCarrierInboxTables;
  readonly subscriptions: SqliteSubscriptionTables;
  readonly connection: SqliteConnection;
  readonly #db: Database.Database;
  readonly #group: GroupCommit;
  #logFd: number | undefined;

  /**
   * Work the writes of the group being committed make due, told to `onDue` once it is on disk. A
   * write rolled back leaves its mark for the next commit: a needless wake costs one empty look.
   */
  readonly #due = new Set<DueWork>();

  constructor(
    file: string,
    plan: PlanEvents,
    onDue: (work: DueWork) => void = () => {},
    onCommitted: (writes: number, seconds: number) => void = () => {},
  ) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    // Migrations commit with SQLite's own fsync; every commit after them is synced by `sync`.
    db.pragma("synchronous = FULL");
    migrate(db);
    const memory = file === ":memory:";
    if (!memory) {
      db.pragma("synchronous = NORMAL");
      // The write-ahead log exists once the database has been written (the migrations did); an
      // fdatasync of it makes every commit appended before it durable (data and size, not the
      // timestamps: what SQLite's own sync does on Linux).
      this.#logFd = openSync(`${file}-wal`, "r+");
    }
    const fd = this.#logFd;
    const sync: Sync | undefined = fd === undefined ? undefined : (done) => fdatasync(fd, done);
    this.#db = db;
    const stmt = prepareStatements(db);
    const group = new GroupCommit(
      db,
      (writes, seconds) => {
        onCommitted(writes, seconds);
        for (const work of this.#due) onDue(work);
        this.#due.clear();
      },
      sync,
    );
    const due = (work: DueWork) => this.#due.add(work);
    this.#group = group;
    // Every write goes through the group commit: durable when the promise resolves.
    const write = <T>(fn: () => T): Promise<T> => group.write(fn);
    this.connection = { db, write };
    this.outbox = new SqliteOutboxTables(db, stmt, write);
    const outbox = this.outbox;
    const insertWebhook = (w: Parameters<SqliteOutboxTables["insert"]>[0]) => {
      due("webhooks");
      outbox.insert(w);
    };
    this.catalog = new SqliteCatalogTables(db, stmt, write, insertWebhook);
    this.apiKeys = new SqliteApiKeyTables(db, write);
    this.webhookLog = new SqliteWebhookLogTables(db, write, due, insertWebhook);
    this.conversations = new SqliteConversationTables(db, stmt, write, insertWebhook);
    this.links = new SqliteLinkTables(db, write, insertWebhook);
    this.media = new SqliteMediaTables(db, write);
    this.flows = new SqliteFlowTables(db, write);
    this.messageLog = new SqliteMessageLogTables(db);
    this.carrierInbox = new SqliteCarrierInboxTables(db, write, due);
    this.subscriptions = new SqliteSubscriptionTables(db, write);
    this.smsFailovers = new SqliteSmsFailoverTables(db, write, insertWebhook);
    this.messages = new SqliteMessageTables(
      {
        stmt,
        write,
        insertWebhook,
        links: this.links,
        sms: this.smsFailovers,
        subscriptions: this.subscriptions,
        due,
      },
      plan,
    );
  }

  /** Commits the writes queued so far at once (the store's thread does this after each batch of calls). */
  flushWrites(): void {
    this.#group.flush();
  }

  releaseAllLeases(): Promise<void> {
    return this.connection.write(() => {
      this.#db.exec(
        "UPDATE messages SET lease_until = NULL WHERE lease_until IS NOT NULL AND status = 'accepted'",
      );
      this.#db.exec(
        "UPDATE webhooks SET lease_until = NULL WHERE lease_until IS NOT NULL AND state = 'pending'",
      );
      this.#db.exec(
        "UPDATE sms_failovers SET lease_until = NULL WHERE lease_until IS NOT NULL AND state = 'pending'",
      );
      this.#db.exec(
        "UPDATE carrier_inbox SET lease_until = NULL WHERE lease_until IS NOT NULL AND state = 'pending'",
      );
    });
  }

  /** One process owns the file: its leases are all the leases there are. */
  releaseOwnLeases(): Promise<void> {
    return this.releaseAllLeases();
  }

  async migrations(): Promise<MigrationState> {
    return {
      known: SQLITE_MIGRATIONS.length,
      applied: this.#db.pragma("user_version", { simple: true }) as number,
    };
  }

  async close(): Promise<void> {
    await this.#group.synced();
    this.#db.close();
    if (this.#logFd !== undefined) closeSync(this.#logFd);
    this.#logFd = undefined;
  }
}
