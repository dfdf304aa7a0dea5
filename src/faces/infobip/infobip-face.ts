/**
 * The Infobip face: Infobip's WhatsApp API, wire-compatible, over the core. Authentication and
 * error bodies are this plugin's own; Fastify's encapsulation keeps them from leaking to other faces.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import type { AppContext } from "../../app/context.ts";
import { apiKeyFromAuthorization } from "./infobip-auth.ts";
import { ajvToValidationErrors, sendError } from "./infobip-errors.ts";
import { sendRoutes } from "./send-routes.ts";
import { templateRoutes } from "./template-routes.ts";

export async function infobipFace(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.addHook("onRequest", async (req, reply) => {
    const key = apiKeyFromAuthorization(req.headers.authorization);
    const account = key ? await ctx.lookups.accountByApiKey(key) : undefined;
    if (!account) return sendError(reply, 401);
    req.account = account;
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) return sendError(reply, 400, ajvToValidationErrors(err, err.validationContext));
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, status, undefined, err.message);
    req.log.error({ err }, "request failed");
    return sendError(reply, 500);
  });

  sendRoutes(app, ctx);
  templateRoutes(app, ctx);
}
