/**
 * Templates on the Meta face (api-reference C.4): `/{waba-id}/message_templates` create, list
 * (filters, cursor paging) and delete by name or hsm_id; `/{template-id}` get and edit.
 */

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
import { WA } from "../../core/whatsapp-errors.ts";
import type { UploadedMediaFiles } from "../../media/uploaded-media-files.ts";
import { MetaError, Success } from "../../meta-graph/message-schemas.ts";
import {
  TemplateCreate,
  TemplateDeleteQuery,
  TemplateEditBody,
  TemplateListQuery,
} from "../../meta-graph/template-schemas.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { publicBase } from "../kit/public-base.ts";
import { deleteFlowObject, editFlowObject, getFlowObject } from "./flow-routes.ts";
import { deleteMediaObject, mediaObject } from "./media-routes.ts";
import { sendFieldErrors, sendMetaError, sendUntranslated } from "./meta-errors.ts";
import { MediaObjectQuery, ObjectPath, ObjectQuery, unknownObject, WabaPath } from "./meta-routing.ts";
import { META_PHONE_NUMBER_ID } from "./meta-settings.ts";
import {
  categoryOf,
  componentsToStructure,
  createToDefinition,
  templateField,
  templateView,
  ttlSecondsOf,
} from "./meta-templates.ts";
import { phoneNumberView } from "./phone-number-routes.ts";
import {
  setPhoneNumberCallback,
  WebhookConfiguration,
  webhookConfigurationView,
} from "./webhook-config-routes.ts";

const tags = ["Meta Cloud API"];
const cursor = (id: string) => Buffer.from(id).toString("base64url");
const uncursor = (c: string) => Buffer.from(c, "base64url").toString();

export function templateRoutes(app: FaceApp, ctx: AppContext, files: UploadedMediaFiles): void {
  /** A sender of the WABA in the path, if the WABA is the caller's. */
  async function wabaSender(
    req: FastifyRequest<{ Params: { wabaId: string } }>,
    reply: FastifyReply,
  ): Promise<Sender | undefined> {
    const { wabaId } = req.params;
    const sender = (await ctx.storage.catalog.listSenders(wabaId)).find(
      (s) => s.accountId === req.account.id,
    );
    if (!sender) unknownObject(reply, req.method, wabaId);
    return sender;
  }

  function answer(
    reply: FastifyReply,
    result: TemplateResult,
    ok: (r: Extract<TemplateResult, { kind: "ok" }>) => unknown,
  ) {
    if (result.kind === "ok") return ok(result);
    if (result.kind === "not-found")
      return sendMetaError(reply, WA.invalidParameter.code, "The template does not exist", 33);
    return sendFieldErrors(
      reply,
      result.errors.map((e) => ({ ...e, code: e.code ?? WA.invalidParameter.code })),
      templateField,
    );
  }

  app.route({
    method: "POST",
    url: "/:wabaId/message_templates",
    schema: {
      tags,
      summary: "Create a message template",
      params: WabaPath,
      body: TemplateCreate,
      response: { 400: MetaError },
    },
    handler: async (req, reply) => {
      const sender = await wabaSender(req, reply);
      if (!sender) return reply;
      const def = createToDefinition(req.body);
      if (!def.ok) return sendUntranslated(reply, def);
      const result = await createTemplate(ctx, req.account, sender, def.value);
      return answer(reply, result, ({ template }) => ({
        id: template.id,
        status: template.status,
        category: template.category,
      }));
    },
  });

  app.route({
    method: "GET",
    url: "/:wabaId/message_templates",
    schema: { tags, summary: "List message templates", params: WabaPath, querystring: TemplateListQuery },
    handler: async (req, reply) => {
      const sender = await wabaSender(req, reply);
      if (!sender) return reply;
      const q = req.query;
      const all = (await ctx.storage.catalog.listTemplates(sender.wabaId))
        .filter(
          (t) =>
            (q.name === undefined || t.name.includes(q.name)) &&
            (q.status === undefined || t.status === q.status.toUpperCase()),
        )
        .filter(
          (t) =>
            (q.category === undefined || t.category === q.category.toUpperCase()) &&
            (q.language === undefined || t.language === q.language),
        )
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const limit = Math.min(Math.max(Number(q.limit ?? 25), 1), 1000);
      let start = 0;
      if (q.after) start = all.findIndex((t) => t.id > uncursor(q.after as string));
      else if (q.before)
        start = Math.max(0, all.findIndex((t) => t.id >= uncursor(q.before as string)) - limit);
      if (start < 0) start = all.length;
      const page = all.slice(start, start + limit);
      const first = page[0];
      const last = page[page.length - 1];
      // Absolute links that keep the request's filters, as Graph's are: clients fetch them as given.
      const link = (key: "after" | "before", id: string) => {
        const url = new URL(req.url, publicBase(ctx, req));
        url.searchParams.delete("after");
        url.searchParams.delete("before");
        url.searchParams.set("limit", String(limit));
        url.searchParams.set(key, cursor(id));
        return url.toString();
      };
      return {
        data: page.map(templateView),
        paging: {
          cursors: { before: first ? cursor(first.id) : "", after: last ? cursor(last.id) : "" },
          ...(start > 0 && first ? { previous: link("before", first.id) } : {}),
          ...(start + limit < all.length && last ? { next: link("after", last.id) } : {}),
        },
      };
    },
  });

  app.route({
    method: "DELETE",
    url: "/:wabaId/message_templates",
    schema: {
      tags,
      summary: "Delete a template (every language) by name, or one by hsm_id",
      params: WabaPath,
      querystring: TemplateDeleteQuery,
      response: { 200: Success },
    },
    handler: async (req, reply) => {
      const sender = await wabaSender(req, reply);
      if (!sender) return reply;
      const { name, hsm_id } = req.query;
      if (!name)
        return sendMetaError(reply, WA.requiredParameterMissing.code, "The parameter name is required.");
      if (hsm_id !== undefined) {
        const t = await ctx.storage.catalog.getTemplate(sender.wabaId, hsm_id);
        if (!t || t.name !== name)
          return sendMetaError(
            reply,
            WA.invalidParameter.code,
            `Template ${hsm_id} named ${name} does not exist`,
            2388094,
          );
      }
      // By name: every language of the name goes (and the name is locked for 30 days); with
      // hsm_id only that template, as Meta does.
      if (!(await deleteTemplate(ctx, sender, name, hsm_id)))
        return sendMetaError(reply, WA.invalidParameter.code, `Template ${name} does not exist`, 2388094);
      return { success: true };
    },
  });

  app.route({
    method: "GET",
    url: "/:objectId",
    schema: {
      tags,
      summary:
        "A template, flow (`fields=preview` for its preview link), phone number (`fields=webhook_configuration` for its callbacks) or media by id",
      params: ObjectPath,
      querystring: ObjectQuery,
    },
    handler: async (req, reply) => {
      const { objectId } = req.params;
      const phone = await ctx.storage.catalog.findSenderByAlias(META_PHONE_NUMBER_ID, objectId);
      if (phone && phone.accountId === req.account.id) {
        const asked = (req.query.fields ?? "").split(",").map((f) => f.trim());
        return asked.includes("webhook_configuration")
          ? { ...phoneNumberView(phone), webhook_configuration: webhookConfigurationView(req.account, phone) }
          : phoneNumberView(phone);
      }
      const flow = await getFlowObject(ctx, req, objectId, req.query);
      if (flow) return flow;
      const media = await mediaObject(ctx, files, req, objectId, req.query.phone_number_id);
      if (media) return media;
      const t = await ctx.storage.catalog.findTemplateById(objectId);
      if (!t || !(await owns(ctx, req, t.wabaId))) return unknownObject(reply, "GET", objectId);
      return templateView(t);
    },
  });

  app.route({
    method: "POST",
    url: "/:objectId",
    schema: {
      tags,
      summary:
        "Edit a template (components, category, message_send_ttl_seconds), a DRAFT flow's metadata (name, categories, endpoint_uri) or a phone number's webhook_configuration (override_callback_uri and verify_token: the hub.challenge handshake runs first; empty: removed)",
      params: ObjectPath,
      body: Type.Object({
        ...TemplateEditBody.properties,
        webhook_configuration: Type.Optional(WebhookConfiguration),
      }),
      response: { 200: Success },
    },
    handler: async (req, reply) => {
      const { objectId } = req.params;
      if (req.body.webhook_configuration !== undefined) {
        const phone = await ctx.storage.catalog.findSenderByAlias(META_PHONE_NUMBER_ID, objectId);
        if (!phone || phone.accountId !== req.account.id) return unknownObject(reply, "POST", objectId);
        return setPhoneNumberCallback(ctx, req, reply, phone, req.body.webhook_configuration);
      }
      const flow = await editFlowObject(ctx, req, reply, objectId);
      if (flow !== false) return flow;
      const t = await ctx.storage.catalog.findTemplateById(objectId);
      if (!t || !(await owns(ctx, req, t.wabaId))) return unknownObject(reply, "POST", objectId);
      const { body } = req;
      const category = body.category !== undefined ? categoryOf(body.category) : t.category;
      if (!category)
        return sendMetaError(
          reply,
          WA.invalidParameter.code,
          "category must be MARKETING, UTILITY or AUTHENTICATION",
        );
      const structure = body.components ? componentsToStructure(body.components, category) : undefined;
      if (structure && !structure.ok) return sendUntranslated(reply, structure);
      const sender = (await ctx.storage.catalog.listSenders(t.wabaId))[0] as Sender;
      const result = await editTemplate(ctx, req.account, sender, t.id, {
        ...(body.category !== undefined ? { category } : {}),
        ...(structure?.ok ? { structure: structure.value } : {}),
        ...(body.message_send_ttl_seconds !== undefined
          ? { ttlSeconds: ttlSecondsOf(body.message_send_ttl_seconds) ?? null }
          : {}),
      });
      return answer(reply, result, () => ({ success: true }));
    },
  });
  deleteObjectRoute(app, ctx, files);
}

export function deleteObjectRoute(app: FaceApp, ctx: AppContext, files: UploadedMediaFiles): void {
  app.route({
    method: "DELETE",
    url: "/:objectId",
    schema: {
      tags,
      summary: "Delete media (uploaded, or sent in by a user) or a DRAFT flow",
      params: ObjectPath,
      querystring: MediaObjectQuery,
      response: { 200: Success },
    },
    handler: async (req, reply) => {
      const flow = await deleteFlowObject(ctx, req, reply, req.params.objectId);
      if (flow !== false) return flow;
      return deleteMediaObject(ctx, files, req, reply, req.params.objectId, req.query.phone_number_id);
    },
  });
}

async function owns(ctx: AppContext, req: FastifyRequest, wabaId: string): Promise<boolean> {
  return (await ctx.storage.catalog.listSenders(wabaId)).some((s) => s.accountId === req.account.id);
}
