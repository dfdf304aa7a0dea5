/**
 * The simulated user completes the flow a received flow message opens
 * (`POST /sandbox/phones/{n}/flow-replies`): the flow's screens are walked with the answers given
 * per screen (core/flow-walk.ts) and the completion is what WhatsApp sends the business, an
 * `nfm_reply` named `flow` whose `response_json` is the `complete` payload plus the `flow_token`.
 */
import { type Static, Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { walkFlow } from "../../core/flow-walk.ts";
import type { InboundContent } from "../../core/inbound.ts";
import type { MessageContent } from "../../core/message.ts";

export const FlowReplyBody = Type.Object({
  messageId: Type.String({ minLength: 1, description: "The flow message the phone received" }),
  answers: Type.Record(
    Type.String({ maxLength: 100 }),
    Type.Record(Type.String({ maxLength: 100 }), Type.Unknown()),
    {
      description: "Per screen id, each input's value by its name (a list of option ids for a CheckboxGroup)",
    },
  ),
});
export type FlowReplyBody = Static<typeof FlowReplyBody>;

export type FlowCompletion =
  | { readonly ok: true; readonly content: InboundContent }
  | { readonly ok: false; readonly field: string; readonly message: string };

export async function completeFlow(
  ctx: AppContext,
  content: MessageContent,
  answers: FlowReplyBody["answers"],
): Promise<FlowCompletion> {
  if (content.type !== "interactive_flow")
    return {
      ok: false,
      field: "messageId",
      message: "is not a flow message (flow-replies answer interactive flow messages)",
    };
  if (content.flowAction === "DATA_EXCHANGE")
    return {
      ok: false,
      field: "messageId",
      message:
        "the flow opens with data_exchange, which asks the business's flow endpoint for its first screen (not simulated)",
    };
  const flow = await ctx.storage.flows.getFlow(content.flowId);
  if (!flow)
    return {
      ok: false,
      field: "messageId",
      message: `the message's flow ${content.flowId} no longer exists`,
    };
  const walked = walkFlow(
    flow.json,
    {
      ...(content.flowActionPayload ? { screen: content.flowActionPayload.screen } : {}),
      ...(content.flowActionPayload?.data ? { data: content.flowActionPayload.data } : {}),
    },
    answers,
  );
  if (!walked.ok) return walked;
  return {
    ok: true,
    content: {
      type: "flow_reply",
      name: "flow",
      body: "Sent",
      responseJson: JSON.stringify({ ...walked.response, flow_token: content.flowToken }),
    },
  };
}
