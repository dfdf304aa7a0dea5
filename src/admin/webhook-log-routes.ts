/**
 * The webhook delivery log and what can be done with it: every attempt, by message, subscription,
 * event, account and time; one event or a time range replayed under the same event ids (so
 * receivers de-duplicate); endpoints disabled after failing past the window, and enabled again,
 * which sends what was kept.
 */
import { Type } from "typebox";
import { AdminError } from "../app/admin-error.ts";
import type { AppContext } from "../app/context.ts";
import { replayWebhook } from "../app/replay-webhook.ts";
import type { WebhookEndpoint } from "../core/webhook-attempt.ts";
import { AttemptView, attemptView } from "../http/webhook-attempt-view.ts";
import { AdminErrorBody } from "./admin-errors.ts";
import type { AdminApp } from "./admin-scope.ts";

const tags = ["OpenBSP webhooks"];
const errors = { 400: AdminErrorBody, 401: AdminErrorBody, 404: AdminErrorBody };
const Time = Type.String({ format: "date-time", description: "ISO 8601" });
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

const EndpointView = Type.Object({
  accountId: Type.String(),
  url: Type.String(),
  failingSince: Type.Optional(Time),
  disabledAt: Type.Optional(Time),
  deadLetters: Type.Integer(),
});

const endpointView = (e: WebhookEndpoint) => ({
  accountId: e.accountId,
  url: e.url,
  ...(e.failingSince !== undefined ? { failingSince: iso(e.failingSince) } : {}),
  ...(e.disabledAt !== undefined ? { disabledAt: iso(e.disabledAt) } : {}),
  deadLetters: e.deadLetters,
});

function time(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AdminError("invalid", field, `${field}: not an ISO 8601 time`);
  return ms;
}

export function webhookLogRoutes(app: AdminApp, ctx: AppContext): void {
  const log = ctx.storage.webhookLog;

  app.get(
    "/webhook-attempts",
    {
      schema: {
        tags,
        summary:
          "Every attempt of every webhook, newest first (filter by message, subscription, event, account, time)",
        querystring: Type.Object(
          {
            accountId: Type.Optional(Type.String()),
            messageId: Type.Optional(Type.String()),
            subscriptionId: Type.Optional(Type.String()),
            eventId: Type.Optional(Type.String()),
            from: Type.Optional(Time),
            to: Type.Optional(Time),
            beforeSeq: Type.Optional(
              Type.String({ pattern: "^[0-9]+$", description: "Page back: seq of the last one seen" }),
            ),
            limit: Type.Optional(Type.String({ pattern: "^[0-9]+$", description: "1-1000, default 100" })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ attempts: Type.Array(AttemptView) }), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const limit = Math.min(Math.max(Number(q.limit ?? 100), 1), 1000);
      const from = time(q.from, "from");
      const to = time(q.to, "to");
      const attempts = await log.listAttempts({
        limit,
        ...(q.accountId !== undefined ? { accountId: q.accountId } : {}),
        ...(q.messageId !== undefined ? { messageId: q.messageId } : {}),
        ...(q.subscriptionId !== undefined ? { subscriptionId: q.subscriptionId } : {}),
        ...(q.eventId !== undefined ? { eventId: q.eventId } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(q.beforeSeq !== undefined ? { beforeSeq: Number(q.beforeSeq) } : {}),
      });
      return { attempts: attempts.map(attemptView) };
    },
  );

  app.get(
    "/webhook-events/:eventId",
    {
      schema: {
        tags,
        summary: "One webhook event: its body, where it goes and its state",
        params: Type.Object({ eventId: Type.String() }),
        response: {
          200: Type.Object({
            id: Type.String(),
            accountId: Type.String(),
            url: Type.String(),
            body: Type.String(),
            state: Type.String(),
            attempts: Type.Integer(),
            createdAt: Time,
            messageIds: Type.Array(Type.String()),
            subscriptionId: Type.Optional(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const w = await log.getWebhook(req.params.eventId);
      if (!w) throw new AdminError("not-found", "eventId", `no webhook event ${req.params.eventId}`);
      return { ...w, createdAt: iso(w.createdAt) };
    },
  );

  app.post(
    "/webhook-events/:eventId/replay",
    {
      schema: {
        tags,
        summary: "Send one event again, under the same event id (receivers de-duplicate by it)",
        params: Type.Object({ eventId: Type.String() }),
        response: { 202: Type.Object({ eventId: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      if (!(await replayWebhook(log, req.params.eventId, ctx.clock.now())))
        throw new AdminError("not-found", "eventId", `no webhook event ${req.params.eventId}`);
      return reply.code(202).send({ eventId: req.params.eventId });
    },
  );

  app.post(
    "/webhook-events/replay",
    {
      schema: {
        tags,
        summary: "Send again every delivered or given-up event created in a time range (same event ids)",
        body: Type.Object(
          {
            from: Time,
            to: Time,
            accountId: Type.Optional(Type.String()),
            url: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ replayed: Type.Integer() }), ...errors },
      },
    },
    async (req, reply) => {
      const from = time(req.body.from, "from") as number;
      const to = time(req.body.to, "to") as number;
      if (to <= from) throw new AdminError("invalid", "to", "to: must be after from");
      const replayed = await log.replayRange(
        {
          from,
          to,
          ...(req.body.accountId !== undefined ? { accountId: req.body.accountId } : {}),
          ...(req.body.url !== undefined ? { url: req.body.url } : {}),
        },
        ctx.clock.now(),
      );
      return reply.code(202).send({ replayed });
    },
  );

  app.get(
    "/webhook-endpoints",
    {
      schema: {
        tags,
        summary: "Endpoints that have failed: since when, whether disabled, how many dead letters they hold",
        querystring: Type.Object({ accountId: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ endpoints: Type.Array(EndpointView) }), ...errors },
      },
    },
    async (req) => ({ endpoints: (await log.endpoints(req.query.accountId)).map(endpointView) }),
  );

  app.post(
    "/webhook-endpoints/enable",
    {
      schema: {
        tags,
        summary: "Enable a disabled endpoint again: what was kept for it is sent, once each",
        body: Type.Object({ accountId: Type.String(), url: Type.String() }, { additionalProperties: false }),
        response: { 200: Type.Object({ requeued: Type.Integer() }), ...errors },
      },
    },
    async (req) => {
      const { accountId, url } = req.body;
      const disabled = (await log.endpoints(accountId)).some(
        (e) => e.url === url && e.disabledAt !== undefined,
      );
      if (!disabled)
        throw new AdminError("not-found", "url", `${url} is not a disabled endpoint of ${accountId}`);
      return { requeued: await log.enableEndpoint(accountId, url, ctx.clock.now()) };
    },
  );
}
