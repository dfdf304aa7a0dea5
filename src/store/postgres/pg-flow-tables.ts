/**
 * The flow port on PostgreSQL: one row per flow, lists and the validation errors as JSON text.
 * Writes announce a catalog change, so other nodes drop the flows they cached (sends check them).
 */
import type { Pool } from "pg";
import type { Flow } from "../../core/flow.ts";
import type { FlowStore } from "../flow-store.ts";
import { FLOW_COLUMNS, flowValues, toFlow } from "../table-rows.ts";
import { announce } from "./pg-catalog-tables.ts";
import type { PgGroupCommit } from "./pg-group-commit.ts";

export class PgFlowTables implements FlowStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
  ) {}

  insertFlow(flow: Flow): Promise<boolean> {
    return this.group.write(async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO flows (${FLOW_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (waba_id, name) DO NOTHING`,
        [...flowValues(flow)],
      );
      if (rowCount === 1) await announce(tx);
      return rowCount === 1;
    });
  }

  updateFlow(flow: Flow): Promise<boolean> {
    return this.group.write(async (tx) => {
      const clash = await tx.query("SELECT 1 FROM flows WHERE waba_id = $1 AND name = $2 AND id <> $3", [
        flow.wabaId,
        flow.name,
        flow.id,
      ]);
      if (clash.rows.length > 0) return false;
      const [id, ...rest] = flowValues(flow);
      // A rename racing another node's insert of that name breaks the unique key: the savepoint
      // retry of the group commit then fails this write alone, and the caller sees an error.
      await tx.query(
        `UPDATE flows SET waba_id = $1, name = $2, categories = $3, status = $4, flow_json = $5,
           validation_errors = $6, screens = $7, initial_screens = $8, endpoint_uri = $9, preview_token = $10,
           preview_expires_at = $11, created_at = $12, updated_at = $13 WHERE id = $14`,
        [...rest, id],
      );
      await announce(tx);
      return true;
    });
  }

  async getFlow(id: string): Promise<Flow | undefined> {
    const { rows } = await this.pool.query(`SELECT ${FLOW_COLUMNS} FROM flows WHERE id = $1`, [id]);
    return rows[0] && toFlow(rows[0]);
  }

  async listFlows(wabaId: string): Promise<Flow[]> {
    const { rows } = await this.pool.query(
      `SELECT ${FLOW_COLUMNS} FROM flows WHERE waba_id = $1 ORDER BY created_at, id COLLATE "C"`,
      [wabaId],
    );
    return rows.map(toFlow);
  }

  deleteFlow(id: string): Promise<boolean> {
    return this.group.write(async (tx) => {
      const { rowCount } = await tx.query("DELETE FROM flows WHERE id = $1", [id]);
      if (rowCount === 1) await announce(tx);
      return rowCount === 1;
    });
  }

  async findFlowByPreviewToken(token: string): Promise<Flow | undefined> {
    const { rows } = await this.pool.query(`SELECT ${FLOW_COLUMNS} FROM flows WHERE preview_token = $1`, [
      token,
    ]);
    return rows[0] && toFlow(rows[0]);
  }
}
