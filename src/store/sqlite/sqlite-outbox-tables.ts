/**
 * The webhook outbox on SQLite. The other tables write their webhooks with `insert`, inside their
 * own transaction; this port leases them for delivery and records each attempt.
 */
import type Database from "better-sqlite3";
import type { NewWebhook, PendingWebhook } from "../../core/webhook.ts";
import type { OutboxStore } from "../outbox-store.ts";
import { toWebhook } from "../table-rows.ts";
import type { prepareStatements } from "./statements.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

export class SqliteOutboxTables implements OutboxStore {
  readonly #db: Database.Database;
  readonly #stmt: ReturnType<typeof prepareStatements>;
  readonly #write: Write;

  constructor(db: Database.Database, stmt: ReturnType<typeof prepareStatements>, write: Write) {
    this.#db = db;
    this.#stmt = stmt;
    this.#write = write;
  }

  /** Inside the caller's transaction: queues a webhook (an id already queued is left alone). */
  insert(w: NewWebhook): void {
    this.#stmt.insertWebhook.run(
      w.id,
      w.accountId,
      w.url,
      w.body,
      w.reports,
      w.createdAt,
      w.createdAt,
      json(w.headers),
      w.messageIds && w.messageIds.length > 0 ? JSON.stringify(w.messageIds) : null,
      w.subscriptionId ?? null,
    );
  }

  claim(now: number, limit: number, leaseUntil: number): Promise<PendingWebhook[]> {
    return this.#write(() =>
      (this.#stmt.claimWebhooks.all(leaseUntil, now, now, limit) as Row[]).map(toWebhook),
    );
  }

  delivered(ids: readonly string[], now: number): Promise<void> {
    return this.#write(() => {
      for (const id of ids) this.#stmt.webhookDelivered.run(now, id);
    });
  }

  retry(id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    return this.#write(() => {
      this.#db
        .prepare(
          "UPDATE webhooks SET attempts = ?, next_attempt_at = ?, last_error = ?, lease_until = NULL WHERE id = ? AND state = 'pending'",
        )
        .run(attempts, nextAttemptAt, error, id);
    });
  }

  failed(id: string, attempts: number, error: string): Promise<void> {
    return this.#write(() => {
      this.#db
        .prepare(
          "UPDATE webhooks SET state = 'failed', attempts = ?, last_error = ?, lease_until = NULL WHERE id = ? AND state = 'pending'",
        )
        .run(attempts, error, id);
    });
  }

  async counts() {
    const rows = this.#db
      .prepare("SELECT state, sum(reports) AS n FROM webhooks GROUP BY state")
      .all() as Row[];
    const count = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
    return { pending: count("pending"), delivered: count("delivered"), failed: count("failed") };
  }
}
