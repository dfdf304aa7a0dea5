/**
 * OpenBSP's own read API for the web console, under /openbsp/1/ and authenticated with the
 * account's API key (`App`, `Bearer` or `Basic`, as the faces take it): the account's senders, the
 * message log with filters and paging, one message with its timeline and its delivery log, and the
 * overview's figures.
 * Errors are `{error, field?}`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import type { AppContext } from "../app/context.ts";
import type { StoredMessage } from "../core/message.ts";
import type { MessageStatus } from "../core/message-status.ts";
import type { RouteTypeProvider } from "../fastify/type-provider.ts";
import type { MessageLogFilter } from "../store/message-log-store.ts";
import { consoleAuth } from "./console-auth.ts";
import { consoleDeliveryLogRoutes } from "./delivery-log-routes.ts";

const STATUSES = ["accepted", "sent", "delivered", "seen", "failed", "expired"] as const;
const tags = ["OpenBSP: console"];
const Problem = Type.Object({ error: Type.String(), field: Type.Optional(Type.String()) });

const ListQuery = Type.Object({
  sender: Type.Optional(Type.String({ pattern: "^[0-9]{1,24}$" })),
  recipient: Type.Optional(Type.String({ pattern: "^[0-9]{1,24}$" })),
  status: Type.Optional(Type.Enum([...STATUSES])),
  face: Type.Optional(Type.String({ maxLength: 40 })),
  since: Type.Optional(Type.String({ format: "date-time", description: "Accepted at or after (ISO 8601)" })),
  until: Type.Optional(Type.String({ format: "date-time", description: "Accepted before (ISO 8601)" })),
  before: Type.Optional(
    Type.String({ pattern: "^[0-9]{1,15}$", description: "The `seq` of the last row of the previous page" }),
  ),
  after: Type.Optional(
    Type.String({ pattern: "^[0-9]{1,15}$", description: "Only messages newer than this `seq`" }),
  ),
  limit: Type.Optional(Type.String({ pattern: "^[0-9]{1,3}$", description: "1 to 500; 100 by default" })),
});

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** A stored message as the console shows it (times in ISO 8601). */
export function messageView(m: StoredMessage) {
  return {
    seq: m.seq,
    messageId: m.messageId,
    face: m.face,
    from: m.from,
    to: m.to,
    status: m.status,
    ...(m.error ? { error: m.error } : {}),
    content: m.content,
    ...(m.bulkId ? { bulkId: m.bulkId } : {}),
    ...(m.callbackData ? { callbackData: m.callbackData } : {}),
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    ...(m.category ? { category: m.category } : {}),
    ...(m.smsFailover ? { smsFailover: m.smsFailover } : {}),
    acceptedAt: iso(m.acceptedAt),
    ...(m.sentAt !== undefined ? { sentAt: iso(m.sentAt) } : {}),
    ...(m.doneAt !== undefined ? { doneAt: iso(m.doneAt) } : {}),
    ...(m.seenAt !== undefined ? { seenAt: iso(m.seenAt) } : {}),
    expiresAt: iso(m.expiresAt),
  };
}

/** accepted → sent → delivered → read, or failed/expired with WhatsApp's error, from the stored times. */
export function timelineOf(m: StoredMessage) {
  const steps: { status: MessageStatus; at: string; error?: StoredMessage["error"] }[] = [
    { status: "accepted", at: iso(m.acceptedAt) as string },
  ];
  if (m.sentAt !== undefined) steps.push({ status: "sent", at: iso(m.sentAt) as string });
  if (m.error && m.doneAt !== undefined)
    steps.push({ status: m.status, at: iso(m.doneAt) as string, error: m.error });
  else if (m.doneAt !== undefined) steps.push({ status: "delivered", at: iso(m.doneAt) as string });
  if (m.seenAt !== undefined) steps.push({ status: "seen", at: iso(m.seenAt) as string });
  return steps;
}

const limitOf = (q: Static<typeof ListQuery>) => Math.min(Math.max(Number(q.limit ?? 100), 1), 500);

function filterOf(accountId: string, q: Static<typeof ListQuery>): MessageLogFilter {
  return {
    accountId,
    limit: limitOf(q),
    ...(q.sender ? { sender: q.sender } : {}),
    ...(q.recipient ? { recipient: q.recipient } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.face ? { face: q.face } : {}),
    ...(q.since ? { since: Date.parse(q.since) } : {}),
    ...(q.until ? { until: Date.parse(q.until) } : {}),
    ...(q.before !== undefined ? { beforeSeq: Number(q.before) } : {}),
    ...(q.after !== undefined ? { afterSeq: Number(q.after) } : {}),
  };
}

/** A request the schemas refuse answers 400 naming the field; anything else is logged and a 500. */
export function consoleErrorHandler(ctx: AppContext) {
  return (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
    if (err.validation) {
      const v = err.validation[0];
      const field = [err.validationContext, ...(v?.instancePath ?? "").split("/").filter(Boolean)]
        .concat(v?.params && "missingProperty" in v.params ? [String(v.params.missingProperty)] : [])
        .filter(Boolean)
        .join(".");
      return reply.code(400).send({ error: `${field} ${v?.message ?? "is invalid"}`, field });
    }
    if (err.statusCode && err.statusCode < 500)
      return reply.code(err.statusCode).send({ error: err.message });
    ctx.log.error({ err }, "console API failed");
    return reply.code(500).send({ error: "internal error" });
  };
}

export function consoleApiRoutes(app: FastifyInstance, ctx: AppContext): void {
  const typed = app.withTypeProvider<RouteTypeProvider>();
  typed.addHook("onRequest", consoleAuth(ctx));

  typed.get(
    "/openbsp/1/senders",
    { schema: { tags, summary: "The account's sender numbers, with their ids in each dialect" } },
    async (req: FastifyRequest) => ({
      senders: (await ctx.storage.catalog.listAccountSenders(req.account.id)).map((s) => ({
        number: s.number,
        wabaId: s.wabaId,
        aliases: s.aliases,
      })),
    }),
  );

  typed.get(
    "/openbsp/1/messages",
    {
      schema: {
        tags,
        summary: "The account's outbound messages, newest first, filtered; page on with `before`",
        querystring: ListQuery,
        response: { 400: Problem, 401: Problem },
      },
    },
    async (req) => {
      const page = await ctx.storage.messageLog.list(filterOf(req.account.id, req.query));
      const last = page.messages[page.messages.length - 1];
      return {
        ...(page.total !== undefined ? { total: page.total } : {}),
        messages: page.messages.map(messageView),
        ...(last && page.messages.length === limitOf(req.query) ? { next: last.seq } : {}),
      };
    },
  );

  typed.get(
    "/openbsp/1/messages/:messageId",
    {
      schema: {
        tags,
        summary:
          "One message, with its timeline (accepted → sent → delivered → read, or failed with the error)",
        params: Type.Object({ messageId: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 401: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const m = await ctx.storage.messages.get(req.account.id, req.params.messageId);
      if (!m)
        return reply.code(404).send({ error: `no message ${req.params.messageId}`, field: "messageId" });
      return { message: messageView(m), timeline: timelineOf(m) };
    },
  );

  consoleDeliveryLogRoutes(app, ctx);

  typed.get(
    "/openbsp/1/stats",
    {
      schema: {
        tags,
        summary:
          "The overview: messages per minute by status, the delivery funnel, webhook outcomes and latency",
        querystring: Type.Object({
          minutes: Type.Optional(
            Type.String({ pattern: "^[0-9]{1,4}$", description: "1 to 1440; 60 by default" }),
          ),
        }),
        response: { 400: Problem, 401: Problem },
      },
    },
    async (req) => {
      const minutes = Math.min(Math.max(Number(req.query.minutes ?? 60), 1), 1440);
      const bucketMs = 60_000;
      const until = Math.ceil((ctx.clock.now() + 1) / bucketMs) * bucketMs;
      const since = until - minutes * bucketMs;
      const [buckets, webhooks] = await Promise.all([
        ctx.storage.messageLog.buckets(req.account.id, since, until, bucketMs),
        ctx.storage.messageLog.webhookTotals(req.account.id, since),
      ]);
      const totals: Record<MessageStatus, number> = {
        accepted: 0,
        sent: 0,
        delivered: 0,
        seen: 0,
        failed: 0,
        expired: 0,
      };
      for (const b of buckets) for (const s of STATUSES) totals[s] += b.counts[s] ?? 0;
      const all = STATUSES.reduce((n, s) => n + totals[s], 0);
      return {
        since: iso(since),
        until: iso(until),
        bucketMs,
        perMinute: buckets.map((b) => ({ at: iso(b.at), ...b.counts })),
        // Each stage counts the messages that reached it or went past it.
        funnel: {
          accepted: all,
          sent: totals.sent + totals.delivered + totals.seen,
          delivered: totals.delivered + totals.seen,
          read: totals.seen,
          failed: totals.failed + totals.expired,
        },
        webhooks,
      };
    },
  );
}
