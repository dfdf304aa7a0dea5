/**
 * The Infobip face: Infobip's WhatsApp API, wire-compatible, over the core. Authentication and
 * error bodies are this plugin's own; Fastify's encapsulation keeps them from leaking to other faces.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import type { AppContext } from "../../app/context.ts";
import { authenticate } from "../../http/request-account.ts";
import { apiKeyFromAuthorization } from "./infobip-auth.ts";
import { ajvToValidationErrors, sendError } from "./infobip-errors.ts";
import { freeFormRoutes } from "./free-form-routes.ts";
import { interactiveRoutes } from "./interactive-routes.ts";
import { sendRoutes } from "./send-routes.ts";
import { templateRoutes } from "./template-routes.ts";
import { unbuiltRoutes } from "./unbuilt-routes.ts";
import { urlDomainRoutes } from "./url-domain-routes.ts";

export async function infobipFace(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.addHook(
    "onRequest",
    authenticate(ctx, (req) => apiKeyFromAuthorization(req.headers.authorization), (reply) => sendError(reply, 401)),
  );

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) return sendError(reply, 400, ajvToValidationErrors(err, err.validationContext));
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, status, undefined, err.message);
    ctx.log.error({ err, method: req.method, url: req.url }, "request failed");
    return sendError(reply, 500);
  });

  sendRoutes(app, ctx);
  freeFormRoutes(app, ctx);
  interactiveRoutes(app, ctx);
  templateRoutes(app, ctx);
  unbuiltRoutes(app);
  urlDomainRoutes(app, ctx);
}
