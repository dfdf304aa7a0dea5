/**
 * WhatsApp Flows management, the same for every face: create (a DRAFT with the default flow JSON,
 * a clone's, or the JSON given), edit metadata, replace the JSON, publish, deprecate, delete, and
 * the preview link. The rules are the core's (flow-lifecycle.ts); this file reads and writes.
 */
import { randomBytes } from "node:crypto";
import { DEFAULT_FLOW_JSON, FLOW_PREVIEW_MS, type Flow, type FlowCategory } from "../core/flow.ts";
import {
  deletableFlow,
  deprecateFlow,
  editFlowMetadata,
  type FlowMetadataEdit,
  type FlowRefusal,
  type FlowStep,
  newFlow,
  publishFlow,
  replaceFlowJson,
} from "../core/flow-lifecycle.ts";
import type { AppContext } from "./context.ts";

export type FlowResult =
  | { readonly kind: "ok"; readonly flow: Flow }
  | { readonly kind: "not-found" }
  /** A step the flow's state does not allow (the message names the state). */
  | { readonly kind: "refused"; readonly reason: FlowRefusal; readonly message: string }
  /** A request field at fault: a name already taken, a clone source that does not exist. */
  | { readonly kind: "invalid"; readonly field: string; readonly message: string };

let lastId = 0;
/** Numeric flow ids, as Meta's are (templates' FLOW buttons carry them as numbers). */
function flowId(now: number): string {
  lastId = Math.max(lastId + 1, now * 1000 + 500);
  return String(lastId);
}

const nameTaken = (name: string): FlowResult => ({
  kind: "invalid",
  field: "name",
  message: `Flow with name "${name}" already exists in this WhatsApp Business Account.`,
});

/** The flow, if it is the WABA's. */
export async function flowOf(ctx: AppContext, wabaId: string, id: string): Promise<Flow | undefined> {
  const flow = await ctx.storage.flows.getFlow(id);
  return flow && flow.wabaId === wabaId ? flow : undefined;
}

export interface NewFlowRequest {
  readonly name: string;
  readonly categories: readonly FlowCategory[];
  readonly cloneFlowId?: string;
  readonly endpointUri?: string;
  /** Meta's `flow_json` at creation. */
  readonly json?: string;
  /** Meta's `publish: true`: publish at once (refused, nothing stored, if the JSON has errors). */
  readonly publish?: boolean;
}

export async function createFlow(ctx: AppContext, wabaId: string, req: NewFlowRequest): Promise<FlowResult> {
  const now = ctx.clock.now();
  let json = req.json ?? DEFAULT_FLOW_JSON;
  if (req.cloneFlowId !== undefined) {
    const source = await flowOf(ctx, wabaId, req.cloneFlowId);
    if (!source)
      return {
        kind: "invalid",
        field: "cloneFlowId",
        message: `Flow ${req.cloneFlowId} to clone does not exist.`,
      };
    json = source.json;
  }
  let flow = newFlow(
    {
      id: flowId(now),
      wabaId,
      name: req.name,
      categories: req.categories,
      ...(req.endpointUri !== undefined ? { endpointUri: req.endpointUri } : {}),
    },
    json,
    now,
  );
  if (req.publish) {
    const step = publishFlow(flow, now);
    if (step.kind === "refused") return step;
    flow = step.flow;
  }
  if (!(await ctx.storage.flows.insertFlow(flow))) return nameTaken(req.name);
  ctx.lookups.flowChanged();
  return { kind: "ok", flow };
}

/** Loads the WABA's flow, takes the core's step on it, stores the outcome. */
async function step(
  ctx: AppContext,
  wabaId: string,
  id: string,
  take: (flow: Flow, now: number) => FlowStep,
): Promise<FlowResult> {
  const flow = await flowOf(ctx, wabaId, id);
  if (!flow) return { kind: "not-found" };
  const outcome = take(flow, ctx.clock.now());
  if (outcome.kind === "refused") return outcome;
  if (!(await ctx.storage.flows.updateFlow(outcome.flow))) return nameTaken(outcome.flow.name);
  ctx.lookups.flowChanged();
  return outcome;
}

export const editFlow = (ctx: AppContext, wabaId: string, id: string, edit: FlowMetadataEdit) =>
  step(ctx, wabaId, id, (f, now) => editFlowMetadata(f, edit, now));

export const putFlowJson = (ctx: AppContext, wabaId: string, id: string, json: string) =>
  step(ctx, wabaId, id, (f, now) => replaceFlowJson(f, json, now));

export const publish = (ctx: AppContext, wabaId: string, id: string) => step(ctx, wabaId, id, publishFlow);

export const deprecate = (ctx: AppContext, wabaId: string, id: string) =>
  step(ctx, wabaId, id, deprecateFlow);

export async function deleteFlow(ctx: AppContext, wabaId: string, id: string): Promise<FlowResult> {
  const flow = await flowOf(ctx, wabaId, id);
  if (!flow) return { kind: "not-found" };
  const outcome = deletableFlow(flow);
  if (outcome.kind === "refused") return outcome;
  await ctx.storage.flows.deleteFlow(id);
  ctx.lookups.flowChanged();
  return outcome;
}

/**
 * The flow with a live preview link: the one it has, or a new one (30 days) when it has none, it
 * expired, or `renew` asks for one (Meta's `invalidate=true`).
 */
export async function flowPreview(
  ctx: AppContext,
  wabaId: string,
  id: string,
  renew = false,
): Promise<FlowResult> {
  const flow = await flowOf(ctx, wabaId, id);
  if (!flow) return { kind: "not-found" };
  const now = ctx.clock.now();
  if (flow.preview && flow.preview.expiresAt > now && !renew) return { kind: "ok", flow };
  const withLink: Flow = {
    ...flow,
    preview: { token: randomBytes(18).toString("base64url"), expiresAt: now + FLOW_PREVIEW_MS },
  };
  await ctx.storage.flows.updateFlow(withLink);
  return { kind: "ok", flow: withLink };
}

/** The flow a preview link shows, while the link lasts. */
export async function previewedFlow(ctx: AppContext, token: string): Promise<Flow | undefined> {
  const flow = await ctx.storage.flows.findFlowByPreviewToken(token);
  return flow?.preview && flow.preview.expiresAt > ctx.clock.now() ? flow : undefined;
}

/** The path of a flow's preview page (the faces prefix their public base). */
export const previewPath = (flow: Flow) => `/flows/preview/${flow.preview?.token ?? ""}`;
