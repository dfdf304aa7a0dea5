/**
 * The simulated user completes the flow a received message opens (an interactive flow message, or
 * a template with a FLOW button)
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

/** What a received message opens: its flow, where, with what data and token. */
interface Opened {
  readonly flowId: string;
  readonly flowAction: "NAVIGATE" | "DATA_EXCHANGE";
  readonly screen?: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly flowToken: string;
}

/** The flow a message opens: an interactive flow message's, or the FLOW button of the template sent. */
async function openedBy(
  ctx: AppContext,
  content: MessageContent,
  sender: string,
): Promise<Opened | undefined> {
  if (content.type === "interactive_flow")
    return {
      flowId: content.flowId,
      flowAction: content.flowAction,
      ...(content.flowActionPayload ? { screen: content.flowActionPayload.screen } : {}),
      ...(content.flowActionPayload?.data ? { data: content.flowActionPayload.data } : {}),
      flowToken: content.flowToken,
    };
  if (content.type !== "template") return undefined;
  const owner = await ctx.lookups.sender(sender);
  const templates = owner ? await ctx.lookups.templates(owner.wabaId, content.templateName) : [];
  const registered = templates
    .find((t) => t.language === content.language)
    ?.structure.buttons.find((b) => b.type === "FLOW");
  if (registered?.type !== "FLOW") return undefined;
  const value = content.buttons.find((b) => b.type === "FLOW");
  const filled = value?.type === "FLOW" ? value : undefined;
  return {
    flowId: registered.flowId,
    flowAction: registered.flowAction,
    ...(registered.flowAction === "NAVIGATE" && registered.navigateScreen !== undefined
      ? { screen: registered.navigateScreen }
      : {}),
    ...(filled?.data ? { data: filled.data } : {}),
    // Meta's default token when a template's FLOW button is sent without one.
    flowToken: filled?.flowToken ?? "unused",
  };
}

export async function completeFlow(
  ctx: AppContext,
  content: MessageContent,
  sender: string,
  answers: FlowReplyBody["answers"],
): Promise<FlowCompletion> {
  const opened = await openedBy(ctx, content, sender);
  if (!opened)
    return {
      ok: false,
      field: "messageId",
      message:
        "opens no flow (flow-replies answer interactive flow messages and templates with a FLOW button)",
    };
  if (opened.flowAction === "DATA_EXCHANGE")
    return {
      ok: false,
      field: "messageId",
      message:
        "the flow opens with data_exchange, which asks the business's flow endpoint for its first screen (not simulated)",
    };
  const flow = await ctx.storage.flows.getFlow(opened.flowId);
  if (!flow)
    return { ok: false, field: "messageId", message: `the message's flow ${opened.flowId} no longer exists` };
  const walked = walkFlow(
    flow.json,
    {
      ...(opened.screen !== undefined ? { screen: opened.screen } : {}),
      ...(opened.data ? { data: opened.data } : {}),
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
      responseJson: JSON.stringify({ ...walked.response, flow_token: opened.flowToken }),
    },
  };
}
