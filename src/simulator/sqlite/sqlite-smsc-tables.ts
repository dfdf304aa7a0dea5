/**
 * The simulated SMSC's port on SQLite: its log of SMS with the receipts it owes, and its rules, in
 * the SQLite adapter's file (its migrations create the tables) and its group commit.
 */
import type Database from "better-sqlite3";
import type { SmscMessage } from "../smsc/smsc-message.ts";
import type { SmscRule } from "../smsc/smsc-rule.ts";
import type { SmscStore } from "../smsc/smsc-store.ts";
import { defined, type Row, toSmscMessage } from "../table-rows.ts";

type Write = <T>(fn: () => T) => Promise<T>;

function prepare(db: Database.Database) {
  return {
    putSmsc: db.prepare(
      `INSERT INTO smsc_messages (id, system_id, source, destination, text, data_coding, outcome, received_at, receipt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ),
    listSmsc: db.prepare("SELECT * FROM smsc_messages WHERE destination = ? ORDER BY received_at, rowid"),
    pendingReceipts: db.prepare(
      "SELECT * FROM smsc_messages WHERE system_id = ? AND receipt = 'pending' ORDER BY rowid",
    ),
    acknowledged: db.prepare(
      "UPDATE smsc_messages SET receipt = 'acknowledged' WHERE id = ? AND receipt = 'pending'",
    ),
    putRule: db.prepare(
      `INSERT INTO smsc_rules (id, pattern, behaviour, error_code, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET pattern = excluded.pattern, behaviour = excluded.behaviour,
         error_code = excluded.error_code, created_at = excluded.created_at`,
    ),
    rules: db.prepare("SELECT * FROM smsc_rules ORDER BY created_at, id"),
    deleteRule: db.prepare("DELETE FROM smsc_rules WHERE id = ?"),
  };
}

export class SqliteSmscTables implements SmscStore {
  readonly #write: Write;
  readonly #stmt: ReturnType<typeof prepare>;

  constructor(db: Database.Database, write: Write) {
    this.#write = write;
    this.#stmt = prepare(db);
  }

  putSmscMessage(m: SmscMessage): Promise<void> {
    return this.#write(() => {
      this.#stmt.putSmsc.run(
        m.id,
        m.systemId,
        m.from,
        m.to,
        m.text,
        m.dataCoding,
        m.outcome,
        m.receivedAt,
        m.receipt,
      );
    });
  }

  async listSmscMessages(number: string): Promise<SmscMessage[]> {
    return (this.#stmt.listSmsc.all(number) as Row[]).map(toSmscMessage);
  }

  async pendingSmscReceipts(systemId: string): Promise<SmscMessage[]> {
    return (this.#stmt.pendingReceipts.all(systemId) as Row[]).map(toSmscMessage);
  }

  smscReceiptAcknowledged(id: string): Promise<void> {
    return this.#write(() => {
      this.#stmt.acknowledged.run(id);
    });
  }

  putSmscRule(r: SmscRule): Promise<void> {
    return this.#write(() => {
      this.#stmt.putRule.run(r.id, r.pattern, r.behaviour, r.errorCode ?? null, r.createdAt);
    });
  }

  async listSmscRules(): Promise<SmscRule[]> {
    return (this.#stmt.rules.all() as Row[]).map((r) =>
      defined<SmscRule>({
        id: String(r.id),
        pattern: String(r.pattern),
        behaviour: r.behaviour as SmscRule["behaviour"],
        errorCode: r.error_code === null ? undefined : Number(r.error_code),
        createdAt: Number(r.created_at),
      }),
    );
  }

  deleteSmscRule(id: string): Promise<boolean> {
    return this.#write(() => this.#stmt.deleteRule.run(id).changes > 0);
  }
}
