/** The delivery log port on SQLite: webhook_attempts, webhook_endpoints and the webhooks they concern. */
import type Database from "better-sqlite3";
import type { NewWebhook } from "../../core/webhook.ts";
import type { LoggedAttempt, WebhookAttempt, WebhookEndpoint } from "../../core/webhook-attempt.ts";
import type { DueWork } from "../storage-factory.ts";
import { defined, toLoggedAttempt, toLoggedWebhook } from "../table-rows.ts";
import type { AttemptFilter, LoggedWebhook, ReplayRange, WebhookLogStore } from "../webhook-log-store.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;
const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));

export class SqliteWebhookLogTables implements WebhookLogStore {
  readonly #db: Database.Database;
  readonly #write: Write;
  readonly #due: (work: DueWork) => void;
  readonly #insert: Database.Statement;
  readonly #healthy: Database.Statement;
  readonly #failing: Database.Statement;

  readonly #insertWebhook: (w: NewWebhook) => void;

  constructor(
    db: Database.Database,
    write: Write,
    due: (work: DueWork) => void,
    insertWebhook: (w: NewWebhook) => void,
  ) {
    this.#insertWebhook = insertWebhook;
    this.#db = db;
    this.#write = write;
    this.#due = due;
    this.#insert = db.prepare(
      `INSERT INTO webhook_attempts (event_id, account_id, url, at, request_bytes, status, response_head, latency_ms, error, ok)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#healthy = db.prepare(
      "UPDATE webhook_endpoints SET failing_since = NULL WHERE account_id = ? AND url = ? AND failing_since IS NOT NULL",
    );
    this.#failing = db.prepare(
      `INSERT INTO webhook_endpoints (account_id, url, failing_since) VALUES (?, ?, ?)
       ON CONFLICT (account_id, url) DO UPDATE SET failing_since = coalesce(failing_since, excluded.failing_since)
       RETURNING failing_since`,
    );
  }

  recordAttempts(attempts: readonly WebhookAttempt[]) {
    return this.#write(() => {
      const failing = new Map<string, { accountId: string; url: string; failingSince: number }>();
      for (const a of attempts) {
        this.#insert.run(
          a.eventId,
          a.accountId,
          a.url,
          a.at,
          a.requestBytes,
          a.status ?? null,
          a.responseHead ?? null,
          a.latencyMs,
          a.error ?? null,
          a.ok ? 1 : 0,
        );
        const key = `${a.accountId}\u0000${a.url}`;
        if (a.ok) {
          this.#healthy.run(a.accountId, a.url);
          failing.delete(key);
        } else {
          const row = this.#failing.get(a.accountId, a.url, a.at) as Row;
          failing.set(key, { accountId: a.accountId, url: a.url, failingSince: Number(row.failing_since) });
        }
      }
      return [...failing.values()];
    });
  }

  async listAttempts(f: AttemptFilter): Promise<LoggedAttempt[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      where.push(sql);
      args.push(v);
    };
    if (f.accountId !== undefined) add("a.account_id = ?", f.accountId);
    if (f.eventId !== undefined) add("a.event_id = ?", f.eventId);
    if (f.messageId !== undefined)
      add("EXISTS (SELECT 1 FROM json_each(w.message_ids) WHERE value = ?)", f.messageId);
    if (f.subscriptionId !== undefined) add("w.subscription_id = ?", f.subscriptionId);
    if (f.from !== undefined) add("a.at >= ?", f.from);
    if (f.to !== undefined) add("a.at < ?", f.to);
    if (f.beforeSeq !== undefined) add("a.seq < ?", f.beforeSeq);
    const rows = this.#db
      .prepare(
        `SELECT a.*, w.message_ids, w.subscription_id FROM webhook_attempts a
         LEFT JOIN webhooks w ON w.id = a.event_id
         ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY a.seq DESC LIMIT ?`,
      )
      .all(...args, f.limit) as Row[];
    return rows.map(toLoggedAttempt);
  }

  async getWebhook(eventId: string): Promise<LoggedWebhook | undefined> {
    const r = this.#db.prepare("SELECT * FROM webhooks WHERE id = ?").get(eventId) as Row | undefined;
    return r && toLoggedWebhook(r);
  }

  async endpoints(accountId?: string): Promise<WebhookEndpoint[]> {
    const rows = this.#db
      .prepare(
        `SELECT e.*, (SELECT count(*) FROM webhooks w WHERE w.account_id = e.account_id AND w.url = e.url
                      AND w.state = 'dead') AS dead
         FROM webhook_endpoints e WHERE (? IS NULL OR e.account_id = ?) ORDER BY e.account_id, e.url`,
      )
      .all(accountId ?? null, accountId ?? null) as Row[];
    return rows.map((r) =>
      defined<WebhookEndpoint>({
        accountId: String(r.account_id),
        url: String(r.url),
        failingSince: num(r.failing_since),
        disabledAt: num(r.disabled_at),
        deadLetters: Number(r.dead),
      }),
    );
  }

  disableEndpoint(
    accountId: string,
    url: string,
    at: number,
    notices: readonly NewWebhook[] = [],
  ): Promise<boolean> {
    return this.#write(() => {
      this.#db
        .prepare(
          `INSERT INTO webhook_endpoints (account_id, url, failing_since) VALUES (?, ?, ?)
           ON CONFLICT (account_id, url) DO NOTHING`,
        )
        .run(accountId, url, at);
      const { changes } = this.#db
        .prepare(
          "UPDATE webhook_endpoints SET disabled_at = ? WHERE account_id = ? AND url = ? AND disabled_at IS NULL",
        )
        .run(at, accountId, url);
      this.#db
        .prepare(
          `UPDATE webhooks SET state = 'dead', lease_until = NULL
           WHERE account_id = ? AND url = ? AND state IN ('pending', 'failed')`,
        )
        .run(accountId, url);
      if (changes === 0) return false;
      for (const n of notices) this.#insertWebhook(n);
      return true;
    });
  }

  enableEndpoint(accountId: string, url: string, now: number): Promise<number> {
    return this.#write(() => {
      const { changes } = this.#db
        .prepare(
          "UPDATE webhook_endpoints SET disabled_at = NULL, failing_since = NULL WHERE account_id = ? AND url = ? AND disabled_at IS NOT NULL",
        )
        .run(accountId, url);
      if (changes === 0) return 0;
      // The dead letters and any webhook queued while it was off go now, oldest first.
      const requeued = this.#db
        .prepare(
          `UPDATE webhooks SET state = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL
           WHERE account_id = ? AND url = ? AND state IN ('dead', 'pending')`,
        )
        .run(now, accountId, url).changes;
      this.#due("webhooks");
      return requeued;
    });
  }

  replay(eventId: string, now: number): Promise<boolean> {
    return this.#write(() => {
      const { changes } = this.#db
        .prepare(
          `UPDATE webhooks SET state = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL,
             delivered_at = NULL WHERE id = ?`,
        )
        .run(now, eventId);
      if (changes > 0) this.#due("webhooks");
      return changes > 0;
    });
  }

  replayRange(range: ReplayRange, now: number): Promise<number> {
    return this.#write(() => {
      const { changes } = this.#db
        .prepare(
          `UPDATE webhooks SET state = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL,
             delivered_at = NULL
           WHERE created_at >= ? AND created_at < ? AND state IN ('delivered', 'failed')
             AND (? IS NULL OR account_id = ?) AND (? IS NULL OR url = ?)`,
        )
        .run(
          now,
          range.from,
          range.to,
          range.accountId ?? null,
          range.accountId ?? null,
          range.url ?? null,
          range.url ?? null,
        );
      if (changes > 0) this.#due("webhooks");
      return changes;
    });
  }

  prune(before: number): Promise<number> {
    return this.#write(() => {
      const { changes } = this.#db.prepare("DELETE FROM webhook_attempts WHERE at < ?").run(before);
      this.#db.prepare("DELETE FROM webhooks WHERE state = 'delivered' AND created_at < ?").run(before);
      return changes;
    });
  }
}
