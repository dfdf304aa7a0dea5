/** The flow port on SQLite: one row per flow, lists and the validation errors as JSON. */
import type Database from "better-sqlite3";
import type { Flow } from "../../core/flow.ts";
import type { FlowStore } from "../flow-store.ts";
import { FLOW_COLUMNS, flowValues, toFlow } from "../table-rows.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;

export class SqliteFlowTables implements FlowStore {
  readonly #write: Write;
  readonly #stmt: ReturnType<typeof prepare>;

  constructor(db: Database.Database, write: Write) {
    this.#write = write;
    this.#stmt = prepare(db);
  }

  insertFlow(flow: Flow): Promise<boolean> {
    return this.#write(() => this.#stmt.insert.run(...flowValues(flow)).changes === 1);
  }

  updateFlow(flow: Flow): Promise<boolean> {
    return this.#write(() => {
      const clash = this.#stmt.nameTaken.get(flow.wabaId, flow.name, flow.id);
      if (clash) return false;
      const [id, ...rest] = flowValues(flow);
      this.#stmt.update.run(...rest, id);
      return true;
    });
  }

  async getFlow(id: string): Promise<Flow | undefined> {
    const r = this.#stmt.get.get(id) as Row | undefined;
    return r && toFlow(r);
  }

  async listFlows(wabaId: string): Promise<Flow[]> {
    return (this.#stmt.list.all(wabaId) as Row[]).map(toFlow);
  }

  deleteFlow(id: string): Promise<boolean> {
    return this.#write(() => this.#stmt.delete.run(id).changes === 1);
  }

  async findFlowByPreviewToken(token: string): Promise<Flow | undefined> {
    const r = this.#stmt.byToken.get(token) as Row | undefined;
    return r && toFlow(r);
  }
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO flows (${FLOW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (waba_id, name) DO NOTHING`,
    ),
    update: db.prepare(
      `UPDATE flows SET waba_id = ?, name = ?, categories = ?, status = ?, flow_json = ?, validation_errors = ?,
       screens = ?, initial_screens = ?, endpoint_uri = ?, preview_token = ?, preview_expires_at = ?,
       created_at = ?, updated_at = ? WHERE id = ?`,
    ),
    nameTaken: db.prepare("SELECT 1 FROM flows WHERE waba_id = ? AND name = ? AND id <> ?"),
    get: db.prepare(`SELECT ${FLOW_COLUMNS} FROM flows WHERE id = ?`),
    list: db.prepare(`SELECT ${FLOW_COLUMNS} FROM flows WHERE waba_id = ? ORDER BY created_at, id`),
    delete: db.prepare("DELETE FROM flows WHERE id = ?"),
    byToken: db.prepare(`SELECT ${FLOW_COLUMNS} FROM flows WHERE preview_token = ?`),
  };
}
