/**
 * The catalog port on PostgreSQL: accounts, their sender numbers and templates. Template review is
 * leased to one node at a time (rows another node holds are skipped), so two nodes never decide
 * the same template.
 */
import type { Pool } from "pg";
import type { Account, Sender } from "../../core/account.ts";
import type { Template } from "../../core/template.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { CatalogStore } from "../catalog-store.ts";
import { templateValues, toAccount, toSender, toTemplate } from "../table-rows.ts";
import type { PgGroupCommit, Tx } from "./pg-group-commit.ts";

type Json = { [key: string]: unknown };

/**
 * Every node LISTENs here; a catalog write (flows too, pg-flow-tables.ts) NOTIFYs in its
 * transaction, delivered on COMMIT.
 */
const CATALOG_CHANNEL = "openbsp_catalog";
export const announce = (tx: Tx) => tx.query(`NOTIFY ${CATALOG_CHANNEL}`);

/** RFC 7396 merge patch: null removes a key, keys not named stay (SQLite's json_patch). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const out: Json =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export class PgCatalogTables implements CatalogStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
    private readonly insertWebhooks: (tx: Tx, list: readonly NewWebhook[]) => Promise<void>,
    private readonly lease: { readonly node: string; readonly ms: number },
    /** A connection of its own that LISTENs on `channel` (see PostgresStorage). */
    private readonly listen: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>,
  ) {}

  watchChanges(listener: () => void): Promise<() => Promise<void>> {
    return this.listen(CATALOG_CHANNEL, listener);
  }

  upsertAccount(a: Account): Promise<void> {
    return this.group.write(async (tx) => {
      await tx.query(
        `INSERT INTO accounts (id, name, api_key, business_verified, settings) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, api_key = excluded.api_key,
           business_verified = excluded.business_verified`,
        // The column kept its first name; since API keys moved to api_keys it holds the account's secret.
        [a.id, a.name, a.secret, a.businessVerified ? 1 : 0, a.settings ? JSON.stringify(a.settings) : null],
      );
      await announce(tx);
    });
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const { rows } = await this.pool.query("SELECT * FROM accounts WHERE id = $1", [id]);
    return rows[0] && toAccount(rows[0]);
  }

  async listAccounts(): Promise<Account[]> {
    const { rows } = await this.pool.query('SELECT * FROM accounts ORDER BY id COLLATE "C"');
    return rows.map(toAccount);
  }

  deleteAccount(id: string): Promise<boolean> {
    return this.group.write(async (tx) => {
      await tx.query(
        "DELETE FROM sender_aliases WHERE number IN (SELECT number FROM senders WHERE account_id = $1)",
        [id],
      );
      await tx.query("DELETE FROM senders WHERE account_id = $1", [id]);
      const { rowCount } = await tx.query("DELETE FROM accounts WHERE id = $1", [id]);
      await announce(tx);
      return rowCount === 1;
    });
  }

  updateAccountSettings(
    id: string,
    dialect: string,
    changes: Readonly<Record<string, string | null>>,
  ): Promise<void> {
    return this.group.write(async (tx) => {
      const { rows } = await tx.query("SELECT settings FROM accounts WHERE id = $1 FOR UPDATE", [id]);
      if (!rows[0]) return;
      const before = rows[0].settings ? JSON.parse(String(rows[0].settings)) : {};
      const after = mergePatch(before, { [dialect]: changes }) as Json;
      const text = JSON.stringify(after);
      await tx.query("UPDATE accounts SET settings = $1 WHERE id = $2", [text === "{}" ? null : text, id]);
      await announce(tx);
    });
  }

  upsertSender(s: Sender): Promise<void> {
    return this.group.write(async (tx) => {
      await tx.query(
        `INSERT INTO senders (number, account_id, waba_id, aliases, throughput_mps, settings, carrier)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (number) DO UPDATE SET account_id = excluded.account_id, waba_id = excluded.waba_id,
           aliases = excluded.aliases, throughput_mps = excluded.throughput_mps, settings = excluded.settings,
           carrier = excluded.carrier`,
        [
          s.number,
          s.accountId,
          s.wabaId,
          JSON.stringify(s.aliases),
          s.throughputMps ?? null,
          s.settings ? JSON.stringify(s.settings) : null,
          s.carrier ? JSON.stringify(s.carrier) : null,
        ],
      );
      await tx.query("DELETE FROM sender_aliases WHERE number = $1", [s.number]);
      const aliases = Object.entries(s.aliases);
      if (aliases.length > 0)
        await tx.query(
          "INSERT INTO sender_aliases (kind, alias, number) SELECT k, a, $3 FROM unnest($1::text[], $2::text[]) AS t(k, a)",
          [aliases.map(([k]) => k), aliases.map(([, a]) => a), s.number],
        );
      await announce(tx);
    });
  }

  async findSenderByAlias(kind: string, alias: string): Promise<Sender | undefined> {
    const { rows } = await this.pool.query(
      "SELECT s.* FROM sender_aliases a JOIN senders s ON s.number = a.number WHERE a.kind = $1 AND a.alias = $2",
      [kind, alias],
    );
    return rows[0] && toSender(rows[0]);
  }

  async listSenders(wabaId: string): Promise<Sender[]> {
    const { rows } = await this.pool.query("SELECT * FROM senders WHERE waba_id = $1 ORDER BY number", [
      wabaId,
    ]);
    return rows.map(toSender);
  }

  async listCarriedSenders(kind: string): Promise<Sender[]> {
    const { rows } = await this.pool.query(
      "SELECT * FROM senders WHERE carrier::jsonb ->> 'kind' = $1 ORDER BY number",
      [kind],
    );
    return rows.map(toSender);
  }

  async listAccountSenders(accountId: string): Promise<Sender[]> {
    const { rows } = await this.pool.query("SELECT * FROM senders WHERE account_id = $1 ORDER BY number", [
      accountId,
    ]);
    return rows.map(toSender);
  }

  deleteSender(number: string): Promise<boolean> {
    return this.group.write(async (tx) => {
      await tx.query("DELETE FROM sender_aliases WHERE number = $1", [number]);
      const { rowCount } = await tx.query("DELETE FROM senders WHERE number = $1", [number]);
      await announce(tx);
      return rowCount === 1;
    });
  }

  async findSender(number: string): Promise<Sender | undefined> {
    const { rows } = await this.pool.query("SELECT * FROM senders WHERE number = $1", [number]);
    return rows[0] && toSender(rows[0]);
  }

  insertTemplate(t: Template, webhooks: readonly NewWebhook[] = []): Promise<boolean> {
    return this.group.write(async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO templates (id, waba_id, name, language, category, structure, status, rejection_reason,
           created_at, updated_at, review_due_at, entity_id, application_id, ttl_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (waba_id, name, language) DO NOTHING`,
        [...templateValues(t)],
      );
      const inserted = rowCount === 1;
      if (inserted) await this.insertWebhooks(tx, webhooks);
      if (inserted) await announce(tx);
      return inserted;
    });
  }

  async findTemplateById(id: string): Promise<Template | undefined> {
    const { rows } = await this.pool.query("SELECT * FROM templates WHERE id = $1", [id]);
    return rows[0] && toTemplate(rows[0]);
  }

  updateTemplate(t: Template, webhooks: readonly NewWebhook[] = []): Promise<void> {
    return this.group.write(async (tx) => {
      await this.insertWebhooks(tx, webhooks);
      await tx.query(
        `UPDATE templates SET waba_id = $1, name = $2, language = $3, category = $4, structure = $5, status = $6,
           rejection_reason = $7, created_at = $8, updated_at = $9, review_due_at = $10, entity_id = $11,
           application_id = $12, ttl_seconds = $13, lease_until = NULL WHERE id = $14`,
        [...templateValues(t).slice(1), t.id],
      );
      await announce(tx);
    });
  }

  async getTemplate(wabaId: string, id: string): Promise<Template | undefined> {
    const { rows } = await this.pool.query("SELECT * FROM templates WHERE waba_id = $1 AND id = $2", [
      wabaId,
      id,
    ]);
    return rows[0] && toTemplate(rows[0]);
  }

  async listTemplates(wabaId: string): Promise<Template[]> {
    const { rows } = await this.pool.query(
      'SELECT * FROM templates WHERE waba_id = $1 ORDER BY name COLLATE "C", language COLLATE "C"',
      [wabaId],
    );
    return rows.map(toTemplate);
  }

  async findTemplatesByName(wabaId: string, name: string): Promise<Template[]> {
    const { rows } = await this.pool.query("SELECT * FROM templates WHERE waba_id = $1 AND name = $2", [
      wabaId,
      name,
    ]);
    return rows.map(toTemplate);
  }

  deleteTemplatesByName(wabaId: string, name: string, lockedUntil: number, id?: string): Promise<number> {
    return this.group.write(async (tx) => {
      const { rowCount } = await tx.query(
        "DELETE FROM templates WHERE waba_id = $1 AND name = $2 AND ($3::text IS NULL OR id = $3)",
        [wabaId, name, id ?? null],
      );
      const changes = rowCount ?? 0;
      // The name is locked once no language of it is left.
      const left = await tx.query("SELECT 1 FROM templates WHERE waba_id = $1 AND name = $2 LIMIT 1", [
        wabaId,
        name,
      ]);
      if (changes > 0 && left.rows.length === 0) {
        await tx.query(
          `INSERT INTO template_name_locks (waba_id, name, locked_until) VALUES ($1, $2, $3)
           ON CONFLICT (waba_id, name) DO UPDATE SET locked_until = excluded.locked_until`,
          [wabaId, name, lockedUntil],
        );
      }
      if (changes > 0) await announce(tx);
      return changes;
    });
  }

  async nameLockedUntil(wabaId: string, name: string, now: number): Promise<number | undefined> {
    const { rows } = await this.pool.query(
      "SELECT locked_until FROM template_name_locks WHERE waba_id = $1 AND name = $2 AND locked_until > $3",
      [wabaId, name, now],
    );
    return rows[0] ? Number(rows[0].locked_until) : undefined;
  }

  /**
   * Leases the due templates to this node (a node's own lease does not hide them from itself):
   * another node reviewing at the same time skips them, and a node that dies mid-review leaves
   * them to the others once the lease runs out.
   */
  pendingTemplatesDue(now: number, limit: number): Promise<Template[]> {
    return this.group.write(async (tx) => {
      const { rows } = await tx.query(
        `WITH due AS (
           SELECT id FROM templates WHERE status = 'PENDING' AND review_due_at <= $1
             AND (lease_until IS NULL OR lease_until <= $1 OR lease_owner = $3)
           ORDER BY review_due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE templates t SET lease_until = $4, lease_owner = $3 FROM due WHERE t.id = due.id RETURNING t.*`,
        [now, limit, this.lease.node, now + this.lease.ms],
      );
      return rows.map(toTemplate);
    });
  }
}
