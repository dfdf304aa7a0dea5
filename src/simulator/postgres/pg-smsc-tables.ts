/** The simulated SMSC's port on PostgreSQL: its log of SMS with the receipts it owes, and its rules. */
import type { SmscMessage } from "../smsc/smsc-message.ts";
import type { SmscRule } from "../smsc/smsc-rule.ts";
import type { SmscStore } from "../smsc/smsc-store.ts";
import { defined, toSmscMessage } from "../table-rows.ts";
import type { PostgresHandle } from "./postgres-handle.ts";

export class PgSmscTables implements SmscStore {
  constructor(private readonly db: PostgresHandle) {}

  putSmscMessage(m: SmscMessage): Promise<void> {
    return this.db.write(async (tx) => {
      await tx.query(
        `INSERT INTO smsc_messages (id, system_id, source, destination, text, data_coding, outcome, received_at, receipt)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
        [m.id, m.systemId, m.from, m.to, m.text, m.dataCoding, m.outcome, m.receivedAt, m.receipt],
      );
    });
  }

  async listSmscMessages(number: string): Promise<SmscMessage[]> {
    const { rows } = await this.db.pool.query(
      "SELECT * FROM smsc_messages WHERE destination = $1 ORDER BY received_at, arrival",
      [number],
    );
    return rows.map(toSmscMessage);
  }

  async pendingSmscReceipts(systemId: string): Promise<SmscMessage[]> {
    const { rows } = await this.db.pool.query(
      "SELECT * FROM smsc_messages WHERE system_id = $1 AND receipt = 'pending' ORDER BY arrival",
      [systemId],
    );
    return rows.map(toSmscMessage);
  }

  smscReceiptAcknowledged(id: string): Promise<void> {
    return this.db.write(async (tx) => {
      await tx.query(
        "UPDATE smsc_messages SET receipt = 'acknowledged' WHERE id = $1 AND receipt = 'pending'",
        [id],
      );
    });
  }

  putSmscRule(r: SmscRule): Promise<void> {
    return this.db.write(async (tx) => {
      await tx.query(
        `INSERT INTO smsc_rules (id, pattern, behaviour, error_code, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET pattern = excluded.pattern, behaviour = excluded.behaviour,
           error_code = excluded.error_code, created_at = excluded.created_at`,
        [r.id, r.pattern, r.behaviour, r.errorCode ?? null, r.createdAt],
      );
    });
  }

  async listSmscRules(): Promise<SmscRule[]> {
    const { rows } = await this.db.pool.query('SELECT * FROM smsc_rules ORDER BY created_at, id COLLATE "C"');
    return rows.map((r) =>
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
    return this.db.write(
      async (tx) => ((await tx.query("DELETE FROM smsc_rules WHERE id = $1", [id])).rowCount ?? 0) > 0,
    );
  }
}
