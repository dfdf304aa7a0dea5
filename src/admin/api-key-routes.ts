/** `/openbsp/1/accounts/{accountId}/api-keys`: make (secret shown once), list (no secret), revoke. */
import { Type } from "typebox";
import type { AppContext } from "../app/context.ts";
import { accountOrFail } from "../app/manage-accounts.ts";
import { createApiKey, revokeApiKey } from "../app/manage-api-keys.ts";
import { AdminErrorBody } from "./admin-errors.ts";
import { AccountIdParams, ApiKeyView, KeyParams, MadeApiKeyView, NewApiKeyBody } from "./admin-schemas.ts";
import type { AdminApp } from "./admin-scope.ts";
import { apiKeyView } from "./admin-views.ts";

const tags = ["OpenBSP admin"];
const errors = { 400: AdminErrorBody, 401: AdminErrorBody, 404: AdminErrorBody };

export function apiKeyRoutes(app: AdminApp, ctx: AppContext): void {
  app.post(
    "/accounts/:accountId/api-keys",
    {
      schema: {
        tags,
        summary: "Make an API key for the account's faces; the answer holds the key, shown this once",
        params: AccountIdParams,
        body: NewApiKeyBody,
        response: { 201: MadeApiKeyView, ...errors },
      },
    },
    async (req, reply) => {
      const made = await createApiKey(
        ctx,
        req.params.accountId,
        req.body.name !== undefined ? { name: req.body.name } : {},
      );
      return reply.code(201).send({ ...apiKeyView(made.key), key: made.secret });
    },
  );

  app.get(
    "/accounts/:accountId/api-keys",
    {
      schema: {
        tags,
        summary: "List the account's API keys (never their secret), revoked ones included",
        params: AccountIdParams,
        response: { 200: Type.Object({ apiKeys: Type.Array(ApiKeyView) }), ...errors },
      },
    },
    async (req) => {
      await accountOrFail(ctx, req.params.accountId);
      return { apiKeys: (await ctx.storage.apiKeys.listKeys(req.params.accountId)).map(apiKeyView) };
    },
  );

  app.delete(
    "/accounts/:accountId/api-keys/:keyId",
    {
      schema: {
        tags,
        summary: "Revoke an API key: every face answers 401 to it from now on",
        params: KeyParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await revokeApiKey(ctx, req.params.accountId, req.params.keyId);
      return reply.code(204).send();
    },
  );
}
