/**
 * `/openbsp/1/accounts/{accountId}/webhook-secret`: the account's Standard Webhooks signing secret
 * (`webhook-signature` on every webhook but Meta's), and
 * `/openbsp/1/accounts/{accountId}/subscriptions/{subscriptionId}/webhook-secret`: an event
 * subscription's own, which signs what that subscription routes (made when the subscription is
 * created and shown in that answer). Rotating shows the new secret once; the old one keeps
 * signing too until the overlap ends.
 */
import { Type } from "typebox";
import { AdminError } from "../app/admin-error.ts";
import type { AppContext } from "../app/context.ts";
import { accountOrFail } from "../app/manage-accounts.ts";
import { removeWebhookSecret, rotateWebhookSecret, scopeSigning } from "../app/manage-webhook-secrets.ts";
import { AdminErrorBody } from "./admin-errors.ts";
import { AccountIdParams } from "./admin-schemas.ts";
import type { AdminApp } from "./admin-scope.ts";

const tags = ["OpenBSP webhooks"];
const errors = { 400: AdminErrorBody, 401: AdminErrorBody, 404: AdminErrorBody };
const iso = (ms: number) => new Date(ms).toISOString();
const SubscriptionParams = Type.Object({ accountId: Type.String(), subscriptionId: Type.String() });

export function webhookSecretRoutes(app: AdminApp, ctx: AppContext): void {
  /** The subscription the path names, if the account has it (404 otherwise). */
  const scope = async (params: { accountId: string; subscriptionId?: string }) => {
    const account = await accountOrFail(ctx, params.accountId);
    const id = params.subscriptionId;
    const signing = await scopeSigning(ctx, account, id);
    if (!signing)
      throw new AdminError("not-found", "subscriptionId", `no subscription ${id} in ${params.accountId}`);
    return { account, subscriptionId: id, signing };
  };

  for (const [path, params, whose] of [
    ["/accounts/:accountId/webhook-secret", AccountIdParams, "the account's webhooks"],
    [
      "/accounts/:accountId/subscriptions/:subscriptionId/webhook-secret",
      SubscriptionParams,
      "the webhooks the event subscription routes",
    ],
  ] as const) {
    app.get(
      path,
      {
        schema: {
          tags,
          summary: `Whether ${whose} are signed, and until when the previous secret still signs`,
          params,
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
        const { signing: s } = await scope(req.params as { accountId: string });
        const overlap = s.previous && s.previousUntil !== undefined && s.previousUntil > ctx.clock.now();
        return {
          signed: s.secret !== undefined,
          ...(overlap ? { previousValidUntil: iso(s.previousUntil as number) } : {}),
        };
      },
    );

    app.post(
      `${path}/rotate`,
      {
        schema: {
          tags,
          summary: `Make a new secret signing ${whose} (shown this once); the previous one signs too for overlapSeconds (default a day)`,
          params,
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
        const { account, subscriptionId } = await scope(req.params as { accountId: string });
        const overlap = (req.body as { overlapSeconds?: number }).overlapSeconds;
        const made = await rotateWebhookSecret(
          ctx,
          account.id,
          overlap !== undefined ? overlap * 1000 : undefined,
          subscriptionId,
        );
        return reply.code(201).send({
          secret: made.secret,
          ...(made.previousUntil !== undefined ? { previousValidUntil: iso(made.previousUntil) } : {}),
        });
      },
    );

    app.delete(
      path,
      {
        schema: {
          tags,
          summary: `Stop signing ${whose} with their own secret`,
          params,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (req, reply) => {
        const { account, subscriptionId } = await scope(req.params as { accountId: string });
        await removeWebhookSecret(ctx, account.id, subscriptionId);
        return reply.code(204).send();
      },
    );
  }
}
