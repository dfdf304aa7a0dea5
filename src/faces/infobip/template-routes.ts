/** Templates v2: /whatsapp/2/senders/{sender}/templates (api-reference A.10). */

import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import {
  createTemplate,
  deleteTemplate,
  editTemplate,
  type TemplateResult,
} from "../../app/manage-templates.ts";
import type { Sender } from "../../core/account.ts";
import type { TemplateCategory } from "../../core/template.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { groupErrors, sendError, sendUntranslated } from "./infobip-errors.ts";
import { ErrorBody, SenderParams } from "./schemas/common.ts";
import {
  TemplateCreateBody,
  TemplateEditBody,
  TemplateList,
  TemplateNameParams,
  TemplateObject,
  TemplateParams,
} from "./schemas/template-schemas.ts";
import {
  structureToCore,
  templateDefinitionToCore,
  templateField,
  validityPeriodToCore,
} from "./template-definition-to-core.ts";
import { templateObject } from "./template-object.ts";

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ["Infobip: templates"];

export function templateRoutes(app: FaceApp, ctx: AppContext): void {
  /** The path's sender, if it belongs to the caller's account; otherwise answers 403 itself. */
  async function ownSender(
    req: FastifyRequest<{ Params: { sender: string } }>,
    reply: FastifyReply,
  ): Promise<Sender | undefined> {
    const { sender: number } = req.params;
    const sender = await ctx.lookups.sender(number);
    if (sender && sender.accountId === req.account.id) return sender;
    await sendError(reply, 403, undefined, `Forbidden: sender ${number} is not registered to this account`);
    return undefined;
  }

  function answer(reply: FastifyReply, result: TemplateResult, code: number) {
    if (result.kind === "ok") return reply.code(code).send(templateObject(result.template));
    if (result.kind === "not-found") return sendError(reply, 404);
    return sendError(
      reply,
      400,
      groupErrors(result.errors.map((e) => ({ ...e, field: templateField(e.field) }))),
    );
  }

  app.post(
    "/whatsapp/2/senders/:sender/templates",
    {
      schema: {
        tags,
        summary: "Create a template",
        params: SenderParams,
        body: TemplateCreateBody,
        response: { 201: TemplateObject, ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      const def = templateDefinitionToCore(req.body);
      if (!def.ok) return sendUntranslated(reply, def);
      return answer(reply, await createTemplate(ctx, req.account, sender, def.value), 201);
    },
  );

  app.get(
    "/whatsapp/2/senders/:sender/templates",
    {
      schema: {
        tags,
        summary: "List templates",
        params: SenderParams,
        response: { 200: TemplateList, ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      const templates = await ctx.storage.catalog.listTemplates(sender.wabaId);
      return { templates: templates.map(templateObject) };
    },
  );

  app.get(
    "/whatsapp/2/senders/:sender/templates/:id",
    {
      schema: {
        tags,
        summary: "Get a template",
        params: TemplateParams,
        response: { 200: TemplateObject, ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      const template = await ctx.storage.catalog.getTemplate(sender.wabaId, req.params.id);
      return template ? templateObject(template) : sendError(reply, 404);
    },
  );

  app.patch(
    "/whatsapp/2/senders/:sender/templates/:id",
    {
      schema: {
        tags,
        summary: "Edit a template (goes back to review)",
        params: TemplateParams,
        body: TemplateEditBody,
        response: { 200: TemplateObject, ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      const { body } = req;
      const { id } = req.params;
      const current = await ctx.storage.catalog.getTemplate(sender.wabaId, id);
      if (!current) return sendError(reply, 404);
      const category = (body.category ?? current.category) as TemplateCategory;
      const structure = body.structure ? structureToCore(body.structure, category) : undefined;
      if (structure && !structure.ok) return sendUntranslated(reply, structure);
      const ttl = validityPeriodToCore(body.validityPeriod, category);
      if (!ttl.ok) return sendUntranslated(reply, ttl);
      const result = await editTemplate(ctx, req.account, sender, id, {
        category,
        ...(ttl.value !== undefined ? { ttlSeconds: ttl.value } : {}),
        ...(structure?.ok ? { structure: structure.value } : {}),
        ...(body.platform?.entityId ? { entityId: body.platform.entityId } : {}),
        ...(body.platform?.applicationId ? { applicationId: body.platform.applicationId } : {}),
      });
      return answer(reply, result, 200);
    },
  );

  app.delete(
    "/whatsapp/2/senders/:sender/templates/:templateName",
    {
      schema: {
        tags,
        summary: "Delete a template in every language across the WABA",
        params: TemplateNameParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      const { templateName } = req.params;
      const deleted = await deleteTemplate(ctx, sender, templateName);
      return deleted
        ? reply.code(204).send()
        : sendError(reply, 404, undefined, `Template ${templateName} not found`);
    },
  );
}
