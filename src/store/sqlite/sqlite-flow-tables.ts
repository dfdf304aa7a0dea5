/** The flow port on SQLite: one row per flow, lists and the validation errors as JSON. */
import type Database from "better-sqlite3";
import type { Flow, FlowCategory, FlowStatus } from "../../core/flow.ts";
import type { FlowValidationError } from "../../core/flow-json-rules.ts";
import type { FlowStore } from "../flow-store.ts";

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
    return this.#write(() => this.#stmt.insert.run(...columns(flow)).changes === 1);
  }

  updateFlow(flow: Flow): Promise<boolean> {
    return this.#write(() => {
      const clash = this.#stmt.nameTaken.get(flow.wabaId, flow.name, flow.id);
      if (clash) return false;
      const [id, ...rest] = columns(flow);
      this.#stmt.update.run(...rest, id);
      return true;
    });
  }

  async getFlow(id: string): Promise<Flow | undefined> {
    const r = this.#stmt.get.get(id) as Row | undefined;
    return r && flowOf(r);
  }

  async listFlows(wabaId: string): Promise<Flow[]> {
    return (this.#stmt.list.all(wabaId) as Row[]).map(flowOf);
  }

  deleteFlow(id: string): Promise<boolean> {
    return this.#write(() => this.#stmt.delete.run(id).changes === 1);
  }

  async findFlowByPreviewToken(token: string): Promise<Flow | undefined> {
    const r = this.#stmt.byToken.get(token) as Row | undefined;
    return r && flowOf(r);
  }
}

const COLUMNS =
  "id, waba_id, name, categories, status, flow_json, validation_errors, screens, initial_screens, endpoint_uri, preview_token, preview_expires_at, created_at, updated_at";

function columns(f: Flow) {
  return [
    f.id,
    f.wabaId,
    f.name,
    JSON.stringify(f.categories),
    f.status,
    f.json,
    JSON.stringify(f.validationErrors),
    JSON.stringify(f.screens),
    JSON.stringify(f.initialScreens),
    f.endpointUri ?? null,
    f.preview?.token ?? null,
    f.preview?.expiresAt ?? null,
    f.createdAt,
    f.updatedAt,
  ] as const;
}

function flowOf(r: Row): Flow {
  return {
    id: String(r.id),
    wabaId: String(r.waba_id),
    name: String(r.name),
    categories: JSON.parse(String(r.categories)) as FlowCategory[],
    status: String(r.status) as FlowStatus,
    json: String(r.flow_json),
    validationErrors: JSON.parse(String(r.validation_errors)) as FlowValidationError[],
    screens: JSON.parse(String(r.screens)) as string[],
    initialScreens: JSON.parse(String(r.initial_screens)) as string[],
    ...(r.endpoint_uri != null ? { endpointUri: String(r.endpoint_uri) } : {}),
    ...(r.preview_token != null
      ? { preview: { token: String(r.preview_token), expiresAt: Number(r.preview_expires_at) } }
      : {}),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO flows (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (waba_id, name) DO NOTHING`,
    ),
    update: db.prepare(
      `UPDATE flows SET waba_id = ?, name = ?, categories = ?, status = ?, flow_json = ?, validation_errors = ?,
       screens = ?, initial_screens = ?, endpoint_uri = ?, preview_token = ?, preview_expires_at = ?,
       created_at = ?, updated_at = ? WHERE id = ?`,
    ),
    nameTaken: db.prepare("SELECT 1 FROM flows WHERE waba_id = ? AND name = ? AND id <> ?"),
    get: db.prepare(`SELECT ${COLUMNS} FROM flows WHERE id = ?`),
    list: db.prepare(`SELECT ${COLUMNS} FROM flows WHERE waba_id = ? ORDER BY created_at, id`),
    delete: db.prepare("DELETE FROM flows WHERE id = ?"),
    byToken: db.prepare(`SELECT ${COLUMNS} FROM flows WHERE preview_token = ?`),
  };
}
