/**
 * The flow check of a send that opens one (an interactive flow message, a template's FLOW button):
 * the flow is read through the lookups' cache, so a send pays no store round trip for it; a cached
 * answer that would refuse the send is read again from the store first (a flow just published
 * elsewhere is not refused because of a stale copy).
 */
import type { FieldError } from "../core/field-error.ts";
import type { Flow } from "../core/flow.ts";
import { checkFlowSend, type FlowSend, type FlowSendFields } from "../core/flow-send-rules.ts";
import type { AppContext } from "./context.ts";

export async function flowSendErrors(
  ctx: AppContext,
  wabaId: string,
  send: FlowSend,
  fields: FlowSendFields,
): Promise<FieldError[]> {
  const ofWaba = (f: Flow | undefined) => (f && f.wabaId === wabaId ? f : undefined);
  const cached = ctx.lookups.peekFlow(send.flowId) ?? (await ctx.lookups.flow(send.flowId));
  const errors = checkFlowSend(ofWaba(cached), send, fields);
  if (errors.length === 0) return errors;
  return checkFlowSend(ofWaba(await ctx.lookups.flow(send.flowId, true)), send, fields);
}
