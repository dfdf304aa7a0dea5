/**
 * `/openbsp/1/accounts/{accountId}/webhook-secret`: the account's Standard Webhooks signing secret
 * (`webhook-signature` on every webhook but Meta's). Rotating shows the new secret once; the old
 * one keeps signing too until the overlap ends.
 */
import { Type } from "typebox";
import type { AppContext } from "../app/context.ts";
import { accountOrFail } from "../app/manage-accounts.ts";
import { removeWebhookSecret, rotateWebhookSecret, signingOf } from "../app/manage-webhook-secrets.ts";
import { AdminErrorBody } from "./admin-errors.ts";
import { AccountIdParams } from "./admin-schemas.ts";
import type { AdminApp } from "./admin-scope.ts";

const tags = ["OpenBSP webhooks"];
const errors = { 400: AdminErrorBody, 401: AdminErrorBody, 404: AdminErrorBody };
const iso = (ms: number) => new Date(ms).toISOString();

export function webhookSecretRoutes(app: AdminApp, ctx: AppContext): void {
  app.get(
    "/accounts/:accountId/webhook-secret",
    {
      schema: {
        tags,
        summary: "Whether the account's webhooks are signed, and until when the previous secret still signs",
        params: AccountIdParams,
        response: {
          200: Type.Object({
            signed: Type.Boolean(),
            previousValidUntil: Type.Optional(Type.String({ format: "date-time" })),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const s = signingOf(await accountOrFail(ctx, req.params.accountId));
      const overlap = s.previous && s.previousUntil !== undefined && s.previousUntil > ctx.clock.now();
      return {
        signed: s.secret !== undefined,
        ...(overlap ? { previousValidUntil: iso(s.previousUntil as number) } : {}),
      };
    },
  );

  app.post(
    "/accounts/:accountId/webhook-secret/rotate",
    {
      schema: {
        tags,
        summary:
          "Make a new signing secret (shown this once); the previous one signs too for overlapSeconds (default a day)",
        params: AccountIdParams,
        body: Type.Object(
          { overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 86_400 })) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            secret: Type.String({ description: "whsec_…, for the receiver's Standard Webhooks library" }),
            previousValidUntil: Type.Optional(Type.String({ format: "date-time" })),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const overlap = req.body.overlapSeconds;
      const made = await rotateWebhookSecret(
        ctx,
        req.params.accountId,
        ...(overlap !== undefined ? [overlap * 1000] : []),
      );
      return reply.code(201).send({
        secret: made.secret,
        ...(made.previousUntil !== undefined ? { previousValidUntil: iso(made.previousUntil) } : {}),
      });
    },
  );

  app.delete(
    "/accounts/:accountId/webhook-secret",
    {
      schema: {
        tags,
        summary: "Stop signing the account's webhooks",
        params: AccountIdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await removeWebhookSecret(ctx, req.params.accountId);
      return reply.code(204).send();
    },
  );
}
