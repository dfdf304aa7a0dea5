/** WhatsApp Flows: one record per flow, its name unique within its WABA, found by id or preview token. */
import type { Flow } from "../core/flow.ts";

export interface FlowStore {
  /** False when the WABA already has a flow of that name (nothing is written then). */
  insertFlow(flow: Flow): Promise<boolean>;
  /** Replaces the flow with the same id; false when the new name is another flow's in the WABA. */
  updateFlow(flow: Flow): Promise<boolean>;
  getFlow(id: string): Promise<Flow | undefined>;
  /** The WABA's flows, oldest first. */
  listFlows(wabaId: string): Promise<Flow[]>;
  deleteFlow(id: string): Promise<boolean>;
  /** The flow whose preview link carries `token` (expired or not: the caller decides). */
  findFlowByPreviewToken(token: string): Promise<Flow | undefined>;
}
