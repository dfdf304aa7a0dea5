/** The catalog port on SQLite: accounts, their sender numbers and templates; writes go through the group commit. */
import type Database from "better-sqlite3";
import type { Account, Sender } from "../../core/account.ts";
import type { Template } from "../../core/template.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { CatalogStore } from "../catalog-store.ts";
import { templateValues, toAccount, toSender, toTemplate } from "../table-rows.ts";
import type { prepareStatements } from "./statements.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;

export class SqliteCatalogTables implements CatalogStore {
  readonly #db: Database.Database;
  readonly #stmt: ReturnType<typeof prepareStatements>;
  readonly #write: Write;
  readonly #insertWebhook: (w: NewWebhook) => void;
  /** Meta's and Sinch's faces look their sender up this way on every request: prepared once. */
  readonly #senderByAlias: Database.Statement;

  constructor(
    db: Database.Database,
    stmt: ReturnType<typeof prepareStatements>,
    write: Write,
    insertWebhook: (w: NewWebhook) => void,
  ) {
    this.#db = db;
    this.#stmt = stmt;
    this.#write = write;
    this.#insertWebhook = insertWebhook;
    this.#senderByAlias = db.prepare(
      "SELECT s.* FROM sender_aliases a JOIN senders s ON s.number = a.number WHERE a.kind = ? AND a.alias = ?",
    );
  }

  upsertAccount(a: Account): Promise<void> {
    return this.#write(() => {
      this.#db
        .prepare(
          `INSERT INTO accounts (id, name, api_key, business_verified, settings)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, api_key = excluded.api_key,
           business_verified = excluded.business_verified`,
        )
        .run(
          a.id,
          a.name,
          // The column kept its first name; since API keys moved to api_keys it holds the account's secret.
          a.secret,
          a.businessVerified ? 1 : 0,
          a.settings ? JSON.stringify(a.settings) : null,
        );
    });
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const row = this.#stmt.accountById.get(id) as Row | undefined;
    return row && toAccount(row);
  }

  async listAccounts(): Promise<Account[]> {
    return (this.#db.prepare("SELECT * FROM accounts ORDER BY id").all() as Row[]).map(toAccount);
  }

  deleteAccount(id: string): Promise<boolean> {
    return this.#write(() => {
      this.#db
        .prepare(
          "DELETE FROM sender_aliases WHERE number IN (SELECT number FROM senders WHERE account_id = ?)",
        )
        .run(id);
      this.#db.prepare("DELETE FROM senders WHERE account_id = ?").run(id);
      return this.#db.prepare("DELETE FROM accounts WHERE id = ?").run(id).changes === 1;
    });
  }

  updateAccountSettings(
    id: string,
    dialect: string,
    changes: Readonly<Record<string, string | null>>,
  ): Promise<void> {
    // A JSON merge patch: null removes a key, keys not named stay.
    return this.#write(() => {
      this.#db
        .prepare(
          "UPDATE accounts SET settings = nullif(json_patch(coalesce(settings, '{}'), json_object(?, json(?))), '{}') WHERE id = ?",
        )
        .run(dialect, JSON.stringify(changes), id);
    });
  }

  upsertSender(s: Sender): Promise<void> {
    return this.#write(() => {
      this.#db
        .prepare(
          `INSERT INTO senders (number, account_id, waba_id, aliases, throughput_mps, settings, carrier) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (number) DO UPDATE SET account_id = excluded.account_id, waba_id = excluded.waba_id,
             aliases = excluded.aliases, throughput_mps = excluded.throughput_mps, settings = excluded.settings,
             carrier = excluded.carrier`,
        )
        .run(
          s.number,
          s.accountId,
          s.wabaId,
          JSON.stringify(s.aliases),
          s.throughputMps ?? null,
          s.settings ? JSON.stringify(s.settings) : null,
          s.carrier ? JSON.stringify(s.carrier) : null,
        );
      this.#db.prepare("DELETE FROM sender_aliases WHERE number = ?").run(s.number);
      const insert = this.#db.prepare("INSERT INTO sender_aliases (kind, alias, number) VALUES (?, ?, ?)");
      for (const [kind, alias] of Object.entries(s.aliases)) insert.run(kind, alias, s.number);
    });
  }

  async findSenderByAlias(kind: string, alias: string): Promise<Sender | undefined> {
    const row = this.#senderByAlias.get(kind, alias) as Row | undefined;
    return row && toSender(row);
  }

  async listCarriedSenders(kind: string): Promise<Sender[]> {
    return (
      this.#db
        .prepare("SELECT * FROM senders WHERE json_extract(carrier, '$.kind') = ? ORDER BY number")
        .all(kind) as Row[]
    ).map(toSender);
  }

  async listSenders(wabaId: string): Promise<Sender[]> {
    return (
      this.#db.prepare("SELECT * FROM senders WHERE waba_id = ? ORDER BY number").all(wabaId) as Row[]
    ).map(toSender);
  }

  async listAccountSenders(accountId: string): Promise<Sender[]> {
    return (
      this.#db.prepare("SELECT * FROM senders WHERE account_id = ? ORDER BY number").all(accountId) as Row[]
    ).map(toSender);
  }

  deleteSender(number: string): Promise<boolean> {
    return this.#write(() => {
      this.#db.prepare("DELETE FROM sender_aliases WHERE number = ?").run(number);
      return this.#db.prepare("DELETE FROM senders WHERE number = ?").run(number).changes === 1;
    });
  }

  async findSender(number: string): Promise<Sender | undefined> {
    const row = this.#stmt.sender.get(number) as Row | undefined;
    return row && toSender(row);
  }

  insertTemplate(t: Template, webhooks: readonly NewWebhook[] = []): Promise<boolean> {
    return this.#write(() => {
      const inserted =
        this.#db
          .prepare(
            `INSERT INTO templates (id, waba_id, name, language, category, structure, status, rejection_reason,
               created_at, updated_at, review_due_at, entity_id, application_id, ttl_seconds)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (waba_id, name, language) DO NOTHING`,
          )
          .run(...templateValues(t)).changes === 1;
      if (inserted) for (const w of webhooks) this.#insertWebhook(w);
      return inserted;
    });
  }

  async findTemplateById(id: string): Promise<Template | undefined> {
    const row = this.#db.prepare("SELECT * FROM templates WHERE id = ?").get(id) as Row | undefined;
    return row && toTemplate(row);
  }

  updateTemplate(t: Template, webhooks: readonly NewWebhook[] = []): Promise<void> {
    return this.#write(() => {
      for (const w of webhooks) this.#insertWebhook(w);
      this.#db
        .prepare(
          `UPDATE templates SET waba_id = ?, name = ?, language = ?, category = ?, structure = ?, status = ?,
           rejection_reason = ?, created_at = ?, updated_at = ?, review_due_at = ?, entity_id = ?,
           application_id = ?, ttl_seconds = ? WHERE id = ?`,
        )
        .run(...templateValues(t).slice(1), t.id);
    });
  }

  async getTemplate(wabaId: string, id: string): Promise<Template | undefined> {
    const row = this.#db.prepare("SELECT * FROM templates WHERE waba_id = ? AND id = ?").get(wabaId, id) as
      | Row
      | undefined;
    return row && toTemplate(row);
  }

  async listTemplates(wabaId: string): Promise<Template[]> {
    const rows = this.#db
      .prepare("SELECT * FROM templates WHERE waba_id = ? ORDER BY name, language")
      .all(wabaId);
    return (rows as Row[]).map(toTemplate);
  }

  async findTemplatesByName(wabaId: string, name: string): Promise<Template[]> {
    return (this.#stmt.templatesByName.all(wabaId, name) as Row[]).map(toTemplate);
  }

  deleteTemplatesByName(wabaId: string, name: string, lockedUntil: number, id?: string): Promise<number> {
    return this.#write(() => {
      const { changes } = this.#db
        .prepare("DELETE FROM templates WHERE waba_id = ? AND name = ? AND (? IS NULL OR id = ?)")
        .run(wabaId, name, id ?? null, id ?? null);
      // The name is locked once no language of it is left.
      const left = this.#db
        .prepare("SELECT 1 FROM templates WHERE waba_id = ? AND name = ? LIMIT 1")
        .get(wabaId, name);
      if (changes > 0 && !left) {
        this.#db
          .prepare(
            `INSERT INTO template_name_locks (waba_id, name, locked_until) VALUES (?, ?, ?)
             ON CONFLICT (waba_id, name) DO UPDATE SET locked_until = excluded.locked_until`,
          )
          .run(wabaId, name, lockedUntil);
      }
      return changes;
    });
  }

  async nameLockedUntil(wabaId: string, name: string, now: number): Promise<number | undefined> {
    const row = this.#db
      .prepare(
        "SELECT locked_until FROM template_name_locks WHERE waba_id = ? AND name = ? AND locked_until > ?",
      )
      .get(wabaId, name, now) as Row | undefined;
    return row ? Number(row.locked_until) : undefined;
  }

  async pendingTemplatesDue(now: number, limit: number): Promise<Template[]> {
    const rows = this.#db
      .prepare("SELECT * FROM templates WHERE status = 'PENDING' AND review_due_at <= ? LIMIT ?")
      .all(now, limit);
    return (rows as Row[]).map(toTemplate);
  }
}
