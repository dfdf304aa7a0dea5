/**
 * Meta's Flows API over the core's flows: `/{waba-id}/flows` (create, list), `/{flow-id}` (get with
 * `fields`, `fields=preview`; update metadata; delete: through the shared object routes),
 * `/{flow-id}/assets` (the flow JSON, uploaded as multipart `file`), `/{flow-id}/publish` and
 * `/{flow-id}/deprecate`. Bodies are JSON or multipart form fields, as Graph takes both; errors are
 * Meta's (`139001`-`139004` for steps the flow's state refuses).
 */
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import {
  createFlow,
  deleteFlow,
  deprecate,
  editFlow,
  type FlowResult,
  flowPreview,
  previewPath,
  publish,
  putFlowJson,
} from "../../app/manage-flows.ts";
import { FLOW_CATEGORIES, type Flow, type FlowCategory, MAX_FLOW_JSON_BYTES } from "../../core/flow.ts";
import type { FlowValidationError } from "../../core/flow-json-rules.ts";
import type { FlowRefusal } from "../../core/flow-lifecycle.ts";
import { type KnownErrorCode, WA } from "../../core/whatsapp-errors.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { publicBase } from "../kit/public-base.ts";
import { sendMetaError } from "./meta-errors.ts";
import { ObjectPath, unknownObject, WabaPath } from "./meta-routing.ts";

const tags = ["Meta Cloud API: flows"];

/** `2023-05-21T11:18:09+0000`, as Graph writes times. */
const graphTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+0000`;

export function metaValidationErrors(errors: readonly FlowValidationError[]) {
  return errors.map((e) => {
    const span = {
      line_start: e.lineStart,
      line_end: e.lineEnd,
      column_start: e.columnStart,
      column_end: e.columnEnd,
    };
    return {
      error: e.error,
      error_type: e.errorType,
      message: e.message,
      ...span,
      pointers: [{ ...span, path: e.path }],
    };
  });
}

/** What a request carried: JSON members, or multipart fields (and the text of an uploaded file). */
interface Fields {
  readonly values: Record<string, unknown>;
  readonly file?: string;
  readonly tooLarge?: boolean;
}

async function fieldsOf(req: FastifyRequest): Promise<Fields> {
  if (!req.isMultipart()) {
    const body = req.body;
    return { values: typeof body === "object" && body !== null && !Array.isArray(body) ? { ...body } : {} };
  }
  const values: Record<string, unknown> = {};
  let file: string | undefined;
  let tooLarge = false;
  for await (const part of req.parts()) {
    if (part.type === "field") values[part.fieldname] = String(part.value);
    else {
      const buf = await (part as MultipartFile).toBuffer();
      if (buf.length > MAX_FLOW_JSON_BYTES) tooLarge = true;
      else if (file === undefined) file = buf.toString("utf8");
    }
  }
  return { values, ...(file !== undefined ? { file } : {}), ...(tooLarge ? { tooLarge } : {}) };
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** `categories` as a list, or as the JSON text of one (multipart forms send it so). */
function categoriesOf(v: unknown): Parsed<FlowCategory[]> {
  let list = v;
  if (typeof v === "string") {
    try {
      list = JSON.parse(v);
    } catch {
      list = [v];
    }
  }
  if (!Array.isArray(list) || list.length === 0)
    return { ok: false, message: "categories must be a non-empty list of flow categories" };
  const wrong = list.find((c) => !(FLOW_CATEGORIES as readonly unknown[]).includes(c));
  if (wrong !== undefined)
    return {
      ok: false,
      message: `categories: ${JSON.stringify(wrong)} is not one of ${FLOW_CATEGORIES.join(", ")}`,
    };
  return { ok: true, value: list as FlowCategory[] };
}

const optString = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** The Meta code for each refusal of the core's state machine. */
function refusalCode(
  reason: FlowRefusal,
  doing: "update" | "publish" | "deprecate" | "delete",
): KnownErrorCode {
  if (doing === "publish" || reason === "invalid-json") return WA.flowPublishFailed.code;
  if (doing === "deprecate") return WA.flowDeprecateFailed.code;
  if (doing === "delete") return WA.flowDeleteFailed.code;
  return WA.flowJsonError.code;
}

function answer(
  reply: FastifyReply,
  req: FastifyRequest,
  id: string,
  result: FlowResult,
  doing: "update" | "publish" | "deprecate" | "delete",
  ok: (f: Flow) => unknown,
) {
  switch (result.kind) {
    case "ok":
      return ok(result.flow);
    case "not-found":
      return unknownObject(reply, req.method, id);
    case "invalid":
      return sendMetaError(reply, WA.invalidParameter.code, `${result.field}: ${result.message}`);
    case "refused":
      return sendMetaError(reply, refusalCode(result.reason, doing), result.message);
  }
}

/** The flow by id, if it is in a WABA of the caller's account. */
async function ownFlow(ctx: AppContext, req: FastifyRequest, id: string): Promise<Flow | undefined> {
  const flow = await ctx.storage.flows.getFlow(id);
  if (!flow) return undefined;
  const senders = await ctx.storage.catalog.listSenders(flow.wabaId);
  return senders.some((s) => s.accountId === req.account.id) ? flow : undefined;
}

const DEFAULT_FIELDS = ["id", "name", "status", "categories", "validation_errors"];

/** Graph's view of a flow, with the fields asked for (`fields=id,name,preview,…`). */
async function flowObject(
  ctx: AppContext,
  req: FastifyRequest,
  flow: Flow,
  fields: string | undefined,
  renew: boolean,
) {
  const wanted = fields ? fields.split(",").map((f) => f.trim()) : DEFAULT_FIELDS;
  let f = flow;
  if (wanted.includes("preview")) {
    const minted = await flowPreview(ctx, flow.wabaId, flow.id, renew);
    if (minted.kind === "ok") f = minted.flow;
  }
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(f.json) as Record<string, unknown>;
  } catch {
    // JSON with a syntax error: its versions are unknown.
  }
  const all: Record<string, () => unknown> = {
    id: () => f.id,
    name: () => f.name,
    status: () => f.status,
    categories: () => [...f.categories],
    validation_errors: () => metaValidationErrors(f.validationErrors),
    json_version: () => (typeof parsed.version === "string" ? parsed.version : undefined),
    data_api_version: () =>
      typeof parsed.data_api_version === "string" ? parsed.data_api_version : undefined,
    endpoint_uri: () => f.endpointUri,
    preview: () =>
      f.preview && {
        preview_url: `${publicBase(ctx, req)}${previewPath(f)}`,
        expires_at: graphTime(f.preview.expiresAt),
      },
    whatsapp_business_account: () => ({ id: f.wabaId }),
  };
  const out: Record<string, unknown> = { id: f.id };
  for (const name of wanted) {
    const value = all[name]?.();
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** `GET /{id}` for a flow; undefined when the id is not one of the caller's flows. */
export async function getFlowObject(
  ctx: AppContext,
  req: FastifyRequest,
  id: string,
  query: { fields?: string; invalidate?: string },
): Promise<Record<string, unknown> | undefined> {
  const flow = await ownFlow(ctx, req, id);
  return flow && flowObject(ctx, req, flow, query.fields, query.invalidate === "true");
}

/** `POST /{id}` for a flow (name, categories, endpoint_uri); false when the id is not a flow of the caller's. */
export async function editFlowObject(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, id: string) {
  const flow = await ownFlow(ctx, req, id);
  if (!flow) return false;
  const { values } = await fieldsOf(req);
  const categories = values.categories !== undefined ? categoriesOf(values.categories) : undefined;
  if (categories && !categories.ok) return sendMetaError(reply, WA.invalidParameter.code, categories.message);
  const name = optString(values.name);
  const endpointUri = optString(values.endpoint_uri);
  const result = await editFlow(ctx, flow.wabaId, id, {
    ...(name !== undefined ? { name } : {}),
    ...(categories?.ok ? { categories: categories.value } : {}),
    ...(endpointUri !== undefined ? { endpointUri } : {}),
  });
  return answer(reply, req, id, result, "update", () => ({ success: true }));
}

/** `DELETE /{id}` for a flow (DRAFT only); false when the id is not a flow of the caller's. */
export async function deleteFlowObject(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
) {
  const flow = await ownFlow(ctx, req, id);
  if (!flow) return false;
  return answer(reply, req, id, await deleteFlow(ctx, flow.wabaId, id), "delete", () => ({ success: true }));
}

export function flowRoutes(app: FaceApp, ctx: AppContext): void {
  /** The WABA in the path, if it is the caller's. */
  async function ownWaba(req: FastifyRequest<{ Params: { wabaId: string } }>, reply: FastifyReply) {
    const { wabaId } = req.params;
    const senders = await ctx.storage.catalog.listSenders(wabaId);
    if (senders.some((s) => s.accountId === req.account.id)) return wabaId;
    unknownObject(reply, req.method, wabaId);
    return undefined;
  }

  app.route({
    method: "POST",
    url: "/:wabaId/flows",
    schema: {
      tags,
      summary: "Create a flow: name, categories, optional clone_flow_id, endpoint_uri, flow_json and publish",
      params: WabaPath,
    },
    handler: async (req, reply) => {
      const wabaId = await ownWaba(req, reply);
      if (!wabaId) return reply;
      const { values } = await fieldsOf(req);
      const name = optString(values.name);
      if (name === undefined || name.length > 200)
        return sendMetaError(
          reply,
          WA.invalidParameter.code,
          "The parameter name is required (1 to 200 characters).",
        );
      if (values.categories === undefined)
        return sendMetaError(reply, WA.invalidParameter.code, "The parameter categories is required.");
      const categories = categoriesOf(values.categories);
      if (!categories.ok) return sendMetaError(reply, WA.invalidParameter.code, categories.message);
      const raw = values.flow_json;
      const json =
        typeof raw === "string" ? raw : raw !== undefined ? JSON.stringify(raw, null, 2) : undefined;
      const cloneFlowId = optString(values.clone_flow_id);
      const endpointUri = optString(values.endpoint_uri);
      const result = await createFlow(ctx, wabaId, {
        name,
        categories: categories.value,
        ...(cloneFlowId !== undefined ? { cloneFlowId } : {}),
        ...(endpointUri !== undefined ? { endpointUri } : {}),
        ...(json !== undefined ? { json } : {}),
        publish: values.publish === true || values.publish === "true",
      });
      if (result.kind === "invalid" && result.field === "name")
        return sendMetaError(reply, WA.invalidParameter.code, `Flow name is not unique: ${result.message}`);
      return answer(reply, req, wabaId, result, "publish", (f) => ({
        id: f.id,
        ...(json !== undefined
          ? { success: true, validation_errors: metaValidationErrors(f.validationErrors) }
          : {}),
      }));
    },
  });

  app.route({
    method: "GET",
    url: "/:wabaId/flows",
    schema: { tags, summary: "The WABA's flows", params: WabaPath },
    handler: async (req, reply) => {
      const wabaId = await ownWaba(req, reply);
      if (!wabaId) return reply;
      const flows = await ctx.storage.flows.listFlows(wabaId);
      const data = await Promise.all(flows.map((f) => flowObject(ctx, req, f, undefined, false)));
      return { data, paging: { cursors: { before: "", after: "" } } };
    },
  });

  app.route({
    method: "GET",
    url: "/:objectId/assets",
    schema: { tags, summary: "The flow's assets: its flow.json, with a download link", params: ObjectPath },
    handler: async (req, reply) => {
      const { objectId } = req.params;
      const flow = await ownFlow(ctx, req, objectId);
      if (!flow) return unknownObject(reply, "GET", objectId);
      const result = await flowPreview(ctx, flow.wabaId, flow.id);
      return answer(reply, req, objectId, result, "update", (f) => ({
        data: [
          {
            name: "flow.json",
            asset_type: "FLOW_JSON",
            download_url: `${publicBase(ctx, req)}${previewPath(f)}/flow.json`,
          },
        ],
        paging: { cursors: { before: "", after: "" } },
      }));
    },
  });

  app.route({
    method: "POST",
    url: "/:objectId/assets",
    schema: {
      tags,
      summary: "Upload a DRAFT flow's JSON (multipart: file, name=flow.json, asset_type=FLOW_JSON)",
      params: ObjectPath,
    },
    handler: async (req, reply) => {
      const { objectId } = req.params;
      const flow = await ownFlow(ctx, req, objectId);
      if (!flow) return unknownObject(reply, "POST", objectId);
      if (!req.isMultipart())
        return sendMetaError(
          reply,
          WA.invalidParameter.code,
          "The request must be multipart/form-data with the flow JSON file",
        );
      const { values, file, tooLarge } = await fieldsOf(req);
      if (tooLarge)
        return sendMetaError(reply, WA.invalidParameter.code, "file: the flow JSON must be at most 10 MB");
      if (values.asset_type !== undefined && values.asset_type !== "FLOW_JSON")
        return sendMetaError(reply, WA.invalidParameter.code, "asset_type must be FLOW_JSON");
      if (file === undefined)
        return sendMetaError(reply, WA.invalidParameter.code, "The parameter file is required.");
      const result = await putFlowJson(ctx, flow.wabaId, objectId, file);
      return answer(reply, req, objectId, result, "update", (f) => ({
        success: true,
        validation_errors: metaValidationErrors(f.validationErrors),
      }));
    },
  });

  for (const [edge, take] of [
    ["publish", publish],
    ["deprecate", deprecate],
  ] as const) {
    app.route({
      method: "POST",
      url: `/:objectId/${edge}`,
      schema: {
        tags,
        summary:
          edge === "publish"
            ? "Publish a DRAFT flow without validation errors"
            : "Deprecate a PUBLISHED flow",
        params: ObjectPath,
        response: { 200: Type.Object({ success: Type.Boolean() }) },
      },
      handler: async (req, reply) => {
        const { objectId } = req.params;
        const flow = await ownFlow(ctx, req, objectId);
        if (!flow) return unknownObject(reply, "POST", objectId);
        return answer(reply, req, objectId, await take(ctx, flow.wabaId, objectId), edge, () => ({
          success: true,
        }));
      },
    });
  }
}
