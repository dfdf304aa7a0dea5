/**
 * The Infobip face: Infobip's WhatsApp API, wire-compatible, over the core. Authentication and
 * error bodies are this dialect's own; the kit mounts it in its own scope so they do not leak.
 */
import type { Dialect } from "../kit/dialect.ts";
import { flowRoutes } from "./flow-routes.ts";
import { freeFormRoutes } from "./free-form-routes.ts";
import { apiKeyFromAuthorization } from "./infobip-auth.ts";
import { ajvToValidationErrors, errorBody, sendError } from "./infobip-errors.ts";
import { infobipReports } from "./infobip-reports.ts";
import { interactiveRoutes } from "./interactive-routes.ts";
import { mediaRoutes } from "./media-routes.ts";
import { readAndTypingRoutes } from "./read-and-typing-routes.ts";
import { sendRoutes } from "./send-routes.ts";
import { subscriptionRoutes } from "./subscription-routes.ts";
import { templateRoutes } from "./template-routes.ts";
import { unbuiltRoutes } from "./unbuilt-routes.ts";
import { urlDomainRoutes } from "./url-domain-routes.ts";

export const infobipDialect: Dialect = {
  name: "infobip",
  reports: infobipReports,
  auth: {
    keyOf: (req) => apiKeyFromAuthorization(req.headers.authorization),
    refuse: (reply) => sendError(reply, 401),
  },
  errors: {
    validation: (err, _req, reply) =>
      sendError(reply, 400, ajvToValidationErrors(err, err.validationContext)),
    client: (reply, status, message) => sendError(reply, status, undefined, message),
    internal: (reply) => sendError(reply, 500),
  },
  // Every unrouted /whatsapp/ path answers in Infobip's body (Sinch's /whatsapp/v1 answers its own).
  notFound: {
    claims: (url) => url.startsWith("/whatsapp/"),
    answer: (_req, reply) => reply.code(404).send(errorBody(404)),
  },
  routes: (app, ctx) => {
    sendRoutes(app, ctx);
    freeFormRoutes(app, ctx);
    interactiveRoutes(app, ctx);
    templateRoutes(app, ctx);
    flowRoutes(app, ctx);
    readAndTypingRoutes(app, ctx);
    mediaRoutes(app, ctx);
    unbuiltRoutes(app);
    urlDomainRoutes(app, ctx);
    subscriptionRoutes(app, ctx);
  },
};
