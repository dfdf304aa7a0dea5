/**
 * The delivery log port on PostgreSQL: webhook_attempts, webhook_endpoints and the webhooks they
 * concern. A webhook's message ids are a JSON list in TEXT, as on SQLite.
 */
import type { Pool } from "pg";
import type { NewWebhook } from "../../core/webhook.ts";
import type { LoggedAttempt, WebhookAttempt, WebhookEndpoint } from "../../core/webhook-attempt.ts";
import type { DueWork } from "../storage-factory.ts";
import { defined, toLoggedAttempt, toLoggedWebhook } from "../table-rows.ts";
import type { AttemptFilter, LoggedWebhook, ReplayRange, WebhookLogStore } from "../webhook-log-store.ts";
import type { PgGroupCommit, Tx } from "./pg-group-commit.ts";

const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));

export class PgWebhookLogTables implements WebhookLogStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
    private readonly due: (work: DueWork) => void,
    private readonly insertWebhooks: (tx: Tx, list: readonly NewWebhook[]) => Promise<void>,
  ) {}

  recordAttempts(attempts: readonly WebhookAttempt[]) {
    return this.group.write(async (tx) => {
      const failing = new Map<string, { accountId: string; url: string; failingSince: number }>();
      if (attempts.length === 0) return [];
      await tx.query(
        `INSERT INTO webhook_attempts (event_id, account_id, url, at, request_bytes, status, response_head, latency_ms, error, ok)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::int[], $7::text[],
           $8::bigint[], $9::text[], $10::int[])`,
        [
          attempts.map((a) => a.eventId),
          attempts.map((a) => a.accountId),
          attempts.map((a) => a.url),
          attempts.map((a) => a.at),
          attempts.map((a) => a.requestBytes),
          attempts.map((a) => a.status ?? null),
          attempts.map((a) => a.responseHead ?? null),
          attempts.map((a) => a.latencyMs),
          attempts.map((a) => a.error ?? null),
          attempts.map((a) => (a.ok ? 1 : 0)),
        ],
      );
      // Endpoint health in attempt order: a success clears the streak the attempts before it began.
      for (const a of attempts) {
        const key = `${a.accountId}\u0000${a.url}`;
        if (a.ok) {
          await tx.query(
            "UPDATE webhook_endpoints SET failing_since = NULL WHERE account_id = $1 AND url = $2 AND failing_since IS NOT NULL",
            [a.accountId, a.url],
          );
          failing.delete(key);
        } else {
          const { rows } = await tx.query(
            `INSERT INTO webhook_endpoints (account_id, url, failing_since) VALUES ($1, $2, $3)
             ON CONFLICT (account_id, url) DO UPDATE
               SET failing_since = coalesce(webhook_endpoints.failing_since, excluded.failing_since)
             RETURNING failing_since`,
            [a.accountId, a.url, a.at],
          );
          failing.set(key, {
            accountId: a.accountId,
            url: a.url,
            failingSince: Number(rows[0]?.failing_since),
          });
        }
      }
      return [...failing.values()];
    });
  }

  async listAttempts(f: AttemptFilter): Promise<LoggedAttempt[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: (p: string) => string, v: unknown) => {
      args.push(v);
      where.push(sql(`$${args.length}`));
    };
    if (f.accountId !== undefined) add((p) => `a.account_id = ${p}`, f.accountId);
    if (f.eventId !== undefined) add((p) => `a.event_id = ${p}`, f.eventId);
    if (f.messageId !== undefined)
      add((p) => `coalesce(w.message_ids, '[]')::jsonb ? ${p}::text`, f.messageId);
    if (f.subscriptionId !== undefined) add((p) => `w.subscription_id = ${p}`, f.subscriptionId);
    if (f.from !== undefined) add((p) => `a.at >= ${p}`, f.from);
    if (f.to !== undefined) add((p) => `a.at < ${p}`, f.to);
    if (f.beforeSeq !== undefined) add((p) => `a.seq < ${p}`, f.beforeSeq);
    args.push(f.limit);
    const { rows } = await this.pool.query(
      `SELECT a.*, w.message_ids, w.subscription_id FROM webhook_attempts a
       LEFT JOIN webhooks w ON w.id = a.event_id
       ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY a.seq DESC LIMIT $${args.length}`,
      args,
    );
    return rows.map(toLoggedAttempt);
  }

  async getWebhook(eventId: string): Promise<LoggedWebhook | undefined> {
    const { rows } = await this.pool.query("SELECT * FROM webhooks WHERE id = $1", [eventId]);
    const r = rows[0];
    return r && toLoggedWebhook(r);
  }

  async endpoints(accountId?: string): Promise<WebhookEndpoint[]> {
    const { rows } = await this.pool.query(
      `SELECT e.*, (SELECT count(*) FROM webhooks w WHERE w.account_id = e.account_id AND w.url = e.url
                    AND w.state = 'dead') AS dead
       FROM webhook_endpoints e WHERE ($1::text IS NULL OR e.account_id = $1)
       ORDER BY e.account_id COLLATE "C", e.url COLLATE "C"`,
      [accountId ?? null],
    );
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
    return this.group.write(async (tx) => {
      await tx.query(
        `INSERT INTO webhook_endpoints (account_id, url, failing_since) VALUES ($1, $2, $3)
         ON CONFLICT (account_id, url) DO NOTHING`,
        [accountId, url, at],
      );
      // Only the node whose update disabled it tells the account (the row lock orders two nodes).
      const { rowCount } = await tx.query(
        "UPDATE webhook_endpoints SET disabled_at = $3 WHERE account_id = $1 AND url = $2 AND disabled_at IS NULL",
        [accountId, url, at],
      );
      await tx.query(
        `UPDATE webhooks SET state = 'dead', lease_until = NULL
         WHERE account_id = $1 AND url = $2 AND state IN ('pending', 'failed')`,
        [accountId, url],
      );
      if (!rowCount) return false;
      if (notices.length > 0) await this.insertWebhooks(tx, notices);
      return true;
    });
  }

  enableEndpoint(accountId: string, url: string, now: number): Promise<number> {
    return this.group.write(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE webhook_endpoints SET disabled_at = NULL, failing_since = NULL
         WHERE account_id = $1 AND url = $2 AND disabled_at IS NOT NULL`,
        [accountId, url],
      );
      if (!rowCount) return 0;
      // The dead letters and any webhook queued while it was off go now, oldest first.
      const requeued = await tx.query(
        `UPDATE webhooks SET state = 'pending', attempts = 0, next_attempt_at = $1, lease_until = NULL
         WHERE account_id = $2 AND url = $3 AND state IN ('dead', 'pending')`,
        [now, accountId, url],
      );
      this.due("webhooks");
      return requeued.rowCount ?? 0;
    });
  }

  replay(eventId: string, now: number): Promise<boolean> {
    return this.group.write(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE webhooks SET state = 'pending', attempts = 0, next_attempt_at = $1, lease_until = NULL,
           delivered_at = NULL WHERE id = $2`,
        [now, eventId],
      );
      if (rowCount) this.due("webhooks");
      return Boolean(rowCount);
    });
  }

  replayRange(range: ReplayRange, now: number): Promise<number> {
    return this.group.write(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE webhooks SET state = 'pending', attempts = 0, next_attempt_at = $1, lease_until = NULL,
           delivered_at = NULL
         WHERE created_at >= $2 AND created_at < $3 AND state IN ('delivered', 'failed')
           AND ($4::text IS NULL OR account_id = $4) AND ($5::text IS NULL OR url = $5)`,
        [now, range.from, range.to, range.accountId ?? null, range.url ?? null],
      );
      if (rowCount) this.due("webhooks");
      return rowCount ?? 0;
    });
  }

  prune(before: number): Promise<number> {
    return this.group.write(async (tx) => {
      const { rowCount } = await tx.query("DELETE FROM webhook_attempts WHERE at < $1", [before]);
      await tx.query("DELETE FROM webhooks WHERE state = 'delivered' AND created_at < $1", [before]);
      return rowCount ?? 0;
    });
  }
}
