/**
 * The admin API (`/openbsp/1/`): OpenBSP's own API for running it for several businesses —
 * accounts, their API keys, senders and settings — behind the admin key, in its own error body.
 */
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../app/context.ts";
import { accountRoutes } from "./account-routes.ts";
import { adminAuth } from "./admin-auth.ts";
import { adminErrorHandler, sendAdminError } from "./admin-errors.ts";
import { adminScope } from "./admin-scope.ts";
import { apiKeyRoutes } from "./api-key-routes.ts";
import { senderRoutes } from "./sender-routes.ts";
import { settingsRoutes } from "./settings-routes.ts";
import { webhookLogRoutes } from "./webhook-log-routes.ts";
import { webhookSecretRoutes } from "./webhook-secret-routes.ts";

export const ADMIN_PREFIX = "/openbsp/1";

/** A Fastify plugin: mount with `{ prefix: ADMIN_PREFIX }`. */
export function adminApi(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    const scope = adminScope(app);
    // Every admin route is documented as taking the admin key, not an account's.
    scope.addHook("onRoute", (route) => {
      route.schema = { ...route.schema, security: [{ Admin: [] }] };
    });
    scope.addHook("onRequest", adminAuth(ctx));
    // A POST without a body (`curl -X POST …/api-keys`) means "no options": validate it as {}.
    scope.addHook("preValidation", (req, _reply, done) => {
      if (req.body === undefined && req.method !== "GET" && req.method !== "DELETE") req.body = {};
      done();
    });
    scope.setErrorHandler(adminErrorHandler(ctx));
    scope.setNotFoundHandler((req, reply) =>
      sendAdminError(reply, 404, `no admin route ${req.method} ${req.url}`),
    );
    accountRoutes(scope, ctx);
    apiKeyRoutes(scope, ctx);
    senderRoutes(scope, ctx);
    settingsRoutes(scope, ctx);
    webhookLogRoutes(scope, ctx);
    webhookSecretRoutes(scope, ctx);
  };
}
