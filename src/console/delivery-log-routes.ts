/**
 * The delivery log of one of the account's messages, for the console, with the account's own key:
 * the same WebhookLogStore and replay use case as the admin API's, narrowed to the account. A
 * message or event of another account's is not found (404), never shown.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../app/context.ts";
import { replayWebhook } from "../app/replay-webhook.ts";
import type { RouteTypeProvider } from "../fastify/type-provider.ts";
import { AttemptView, attemptView } from "../http/webhook-attempt-view.ts";

const tags = ["OpenBSP: console"];
const Problem = Type.Object({ error: Type.String(), field: Type.Optional(Type.String()) });
const MessageId = Type.String({ minLength: 1, maxLength: 200 });

/** Mounted inside the console API, behind its account-key hook. */
export function consoleDeliveryLogRoutes(app: FastifyInstance, ctx: AppContext): void {
  const typed = app.withTypeProvider<RouteTypeProvider>();
  const log = ctx.storage.webhookLog;

  typed.get(
    "/openbsp/1/messages/:messageId/webhook-attempts",
    {
      schema: {
        tags,
        summary: "Every attempt of the message's webhooks (its reports), newest first; page on with `before`",
        params: Type.Object({ messageId: MessageId }),
        querystring: Type.Object({
          before: Type.Optional(
            Type.String({ pattern: "^[0-9]{1,15}$", description: "The `seq` of the last attempt seen" }),
          ),
          limit: Type.Optional(
            Type.String({ pattern: "^[0-9]{1,4}$", description: "1 to 1000; 100 by default" }),
          ),
        }),
        response: {
          200: Type.Object({ attempts: Type.Array(AttemptView) }),
          400: Problem,
          401: Problem,
          404: Problem,
        },
      },
    },
    async (req, reply) => {
      const accountId = req.account.id;
      const { messageId } = req.params;
      if (!(await ctx.storage.messages.get(accountId, messageId)))
        return reply.code(404).send({ error: `no message ${messageId}`, field: "messageId" });
      const attempts = await log.listAttempts({
        accountId,
        messageId,
        limit: Math.min(Math.max(Number(req.query.limit ?? 100), 1), 1000),
        ...(req.query.before !== undefined ? { beforeSeq: Number(req.query.before) } : {}),
      });
      return { attempts: attempts.map(attemptView) };
    },
  );

  typed.post(
    "/openbsp/1/messages/:messageId/webhook-events/:eventId/replay",
    {
      schema: {
        tags,
        summary:
          "Send one of the message's webhooks again, under the same event id (receivers de-duplicate by it)",
        params: Type.Object({ messageId: MessageId, eventId: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 202: Type.Object({ eventId: Type.String() }), 401: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const { messageId, eventId } = req.params;
      const owner = { accountId: req.account.id, messageId };
      if (!(await replayWebhook(log, eventId, ctx.clock.now(), owner)))
        return reply
          .code(404)
          .send({ error: `no webhook event ${eventId} for message ${messageId}`, field: "eventId" });
      return reply.code(202).send({ eventId });
    },
  );
}
