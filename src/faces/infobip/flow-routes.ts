/**
 * Infobip's Flows API (`/whatsapp/1/senders/{sender}/flows…`, api-reference A.11) over the core's
 * flows: answers and errors in the shapes of Infobip's OpenAPI document (its `ApiError` body, with
 * `WA-FLOW-SENDER404` / `WA-FLOW-ID404` for what is not found).
 */
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
import type { Sender } from "../../core/account.ts";
import type { Flow } from "../../core/flow.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { publicBase } from "../kit/public-base.ts";
import { ajvToViolations, sendApiError } from "./infobip-errors.ts";
import { SenderParams } from "./schemas/common.ts";
import {
  AddFlowJson,
  AddFlowJsonResponse,
  ApiError,
  CreateFlowRequest,
  FlowDataResponse,
  FlowParams,
  FlowPreview,
  GetFlowJsonResponse,
  GetSenderFlowsResponse,
  UpdateFlowRequest,
} from "./schemas/flow-schemas.ts";

const tags = ["Infobip: flows"];
const errors = { 400: ApiError, 401: Type.Unknown(), 404: ApiError };
const BASE = "/whatsapp/1/senders/:sender/flows";

declare module "fastify" {
  interface FastifyRequest {
    /** The JSON body as sent (flow JSON uploads report problems by line and column). */
    jsonText?: string;
  }
}

/** How each refusal reads in Infobip's words: what was attempted. */
const ATTEMPT = {
  update: "Updating attempt failed.",
  delete: "Deletion attempt failed.",
  publish: "Publishing attempt failed.",
  deprecate: "Deprecation attempt failed.",
} as const;

export function flowView(f: Flow) {
  return {
    id: f.id,
    name: f.name,
    businessAccountId: Number(f.wabaId),
    categories: [...f.categories],
    status: f.status,
    ...(f.status !== "DRAFT" ? { initialScreens: [...f.initialScreens] } : {}),
  };
}

export function flowRoutes(app: FaceApp, ctx: AppContext): void {
  /** Schema failures first (in ApiError's body), then the path's sender, if it is the caller's. */
  async function ownSender(
    req: FastifyRequest<{ Params: { sender: string } }>,
    reply: FastifyReply,
  ): Promise<Sender | undefined> {
    if (req.validationError) {
      await sendApiError(reply, 400, ajvToViolations(req.validationError));
      return undefined;
    }
    const sender = await ctx.lookups.sender(req.params.sender);
    if (sender && sender.accountId === req.account.id) return sender;
    await sendApiError(reply, 404, [], {
      errorCode: "WA-FLOW-SENDER404",
      description: "Sender not found.",
      action: "Please check the sender and try again.",
    });
    return undefined;
  }

  function answer(
    reply: FastifyReply,
    result: FlowResult,
    attempt: keyof typeof ATTEMPT,
    ok: (f: Flow) => unknown,
  ) {
    switch (result.kind) {
      case "ok":
        return ok(result.flow);
      case "not-found":
        return flowNotFound(reply);
      case "invalid":
        return sendApiError(reply, 400, [{ property: result.field, violation: result.message }]);
      case "refused":
        return sendApiError(reply, 400, [{ property: "flowId", violation: result.message }], {
          description: ATTEMPT[attempt],
          action:
            result.reason === "invalid-json"
              ? "Fix the flow JSON's validation errors."
              : "Check the flow's status.",
        });
    }
  }

  const previewUrl = (req: FastifyRequest, f: Flow) => `${publicBase(ctx, req)}${previewPath(f)}`;

  app.get(
    BASE,
    {
      attachValidation: true,
      schema: {
        tags,
        summary: "List the sender's flows",
        params: SenderParams,
        response: { 200: GetSenderFlowsResponse, ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      return { flows: (await ctx.storage.flows.listFlows(sender.wabaId)).map(flowView) };
    },
  );

  app.post(
    BASE,
    {
      attachValidation: true,
      schema: {
        tags,
        summary: "Create a flow (DRAFT, with the default flow JSON or a clone's)",
        params: SenderParams,
        body: CreateFlowRequest,
        response: { 201: FlowDataResponse, ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      const { name, categories, cloneFlowId } = req.body;
      const result = await createFlow(ctx, sender.wabaId, {
        name,
        categories,
        ...(cloneFlowId !== undefined ? { cloneFlowId } : {}),
      });
      if (result.kind === "invalid" && result.field === "name")
        return sendApiError(
          reply,
          400,
          [{ property: "name", violation: "Flow with given name already exists." }],
          {
            description: "Flow creation failed due to validation errors.",
            action: "Please use different flow name.",
          },
        );
      return answer(reply, result, "update", (f) => reply.code(201).send(flowView(f)));
    },
  );

  app.patch(
    `${BASE}/:flowId`,
    {
      attachValidation: true,
      schema: {
        tags,
        summary: "Rename or recategorise a DRAFT flow",
        params: FlowParams,
        body: UpdateFlowRequest,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      const { name, categories } = req.body;
      const result = await editFlow(ctx, sender.wabaId, req.params.flowId, {
        ...(name !== undefined ? { name } : {}),
        ...(categories !== undefined ? { categories } : {}),
      });
      return answer(reply, result, "update", () => reply.code(204).send());
    },
  );

  app.delete(
    `${BASE}/:flowId`,
    {
      attachValidation: true,
      schema: {
        tags,
        summary: "Delete a DRAFT flow",
        params: FlowParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      const result = await deleteFlow(ctx, sender.wabaId, req.params.flowId);
      return answer(reply, result, "delete", () => reply.code(204).send());
    },
  );

  for (const [edge, take, summary] of [
    ["publish", publish, "Publish a DRAFT flow whose JSON has no errors (it is then immutable)"],
    ["deprecate", deprecate, "Deprecate a PUBLISHED flow (it can no longer be sent)"],
  ] as const) {
    app.post(
      `${BASE}/:flowId/${edge}`,
      {
        attachValidation: true,
        schema: { tags, summary, params: FlowParams, response: { 204: Type.Null(), ...errors } },
      },
      async (req, reply) => {
        const sender = await ownSender(req, reply);
        if (!sender) return reply;
        const result = await take(ctx, sender.wabaId, req.params.flowId);
        return answer(reply, result, edge, () => reply.code(204).send());
      },
    );
  }

  app.get(
    `${BASE}/:flowId/json`,
    {
      attachValidation: true,
      schema: {
        tags,
        summary: "A link to download the flow JSON",
        params: FlowParams,
        response: { 200: GetFlowJsonResponse, ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      // The download link lives as long as the preview's: a link that needs no login.
      const result = await flowPreview(ctx, sender.wabaId, req.params.flowId);
      return answer(reply, result, "update", (f) => ({
        externalDownloadUrl: `${previewUrl(req, f)}/flow.json`,
      }));
    },
  );

  app.get(
    `${BASE}/:flowId/preview`,
    {
      attachValidation: true,
      schema: {
        tags,
        summary: "The preview link (no login; 30 days)",
        params: FlowParams,
        response: { 200: FlowPreview, ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      const result = await flowPreview(ctx, sender.wabaId, req.params.flowId);
      return answer(reply, result, "update", (f) => ({
        previewUrl: previewUrl(req, f),
        expiresAt: new Date(f.preview?.expiresAt ?? 0).toISOString(),
      }));
    },
  );

  // The upload keeps the text as sent, so that its problems are reported where they are in it.
  app.register(async (scope: FaceApp) => {
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
      const text = String(body);
      req.jsonText = text;
      try {
        done(null, text.trim() === "" ? undefined : JSON.parse(text));
      } catch {
        done(Object.assign(new Error("Body is not valid JSON"), { statusCode: 400 }), undefined);
      }
    });
    scope.put(
      `${BASE}/:flowId/json`,
      {
        attachValidation: true,
        schema: {
          tags,
          summary: "Replace a DRAFT flow's JSON (≤ 10 MB); answers the validation errors found",
          params: FlowParams,
          body: AddFlowJson,
          response: { 201: AddFlowJsonResponse, ...errors },
        },
      },
      async (req, reply) => {
        const sender = await ownSender(req, reply);
        if (!sender) return reply;
        const text = req.jsonText ?? JSON.stringify(req.body, null, 2);
        const result = await putFlowJson(ctx, sender.wabaId, req.params.flowId, text);
        return answer(reply, result, "update", (f) =>
          reply.code(201).send({
            validationErrors: f.validationErrors.map(({ path: _path, ...e }) => e),
          }),
        );
      },
    );
  });
}

function flowNotFound(reply: FastifyReply) {
  return sendApiError(reply, 404, [], {
    errorCode: "WA-FLOW-ID404",
    description: "Flow not found.",
    action: "Please check the flowId and try again.",
  });
}
