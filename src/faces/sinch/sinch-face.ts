/**
 * The Sinch face: Sinch's WhatsApp API v1 under /whatsapp/v1, over the same core. A request
 * names a bot (`/whatsapp/v1/{bot-id}/…`, a sender's alias `sinchBotId`) and authenticates with
 * `Authorization: Bearer <API key>` of the account that owns the bot. Errors in Sinch's body.
 */
import { TtlCache } from "../../app/ttl-cache.ts";
import type { Sender } from "../../core/account.ts";
import { bearerToken } from "../kit/bearer-token.ts";
import type { Dialect } from "../kit/dialect.ts";
import { pathParam } from "../kit/request-fields.ts";
import { botRoutes } from "./bot-routes.ts";
import { mediaRoutes } from "./media-routes.ts";
import { sendBodyErrors, sendRoutes } from "./send-routes.ts";
import { findingsToErrors, sendError, sendFieldErrors } from "./sinch-errors.ts";
import { sinchReports } from "./sinch-reports.ts";
import { SINCH_BOT_ID } from "./sinch-settings.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The sender the request's bot id names (Sinch face only). */
    sinchBot: Sender;
  }
}

export const sinchDialect: Dialect = {
  name: "sinch",
  prefix: "/whatsapp/v1",
  reports: sinchReports,
  auth: {
    keyOf: (req) => bearerToken(req.headers.authorization),
    refuse: (reply) =>
      sendError(reply, 401, "Unauthorized bot", "Send Authorization: Bearer <API key> with a valid key"),
  },
  errors: {
    validation: (err, req, reply) => {
      const clean =
        err.validationContext === "body" && req.routeOptions.url?.endsWith("/messages")
          ? sendBodyErrors(req.body)
          : [];
      return sendFieldErrors(
        reply,
        clean.length > 0
          ? clean
          : findingsToErrors(
              err.validation ?? [],
              err.validationContext === "body" ? "" : err.validationContext,
            ),
      );
    },
    client: (reply, status, message) => sendError(reply, status, message),
    internal: (reply) => sendError(reply, 500, "Something went wrong"),
  },
  // Answered inside /whatsapp/v1, after the auth hook, as every other request there is.
  notFound: { answer: (req, reply) => sendError(reply, 404, `No route ${req.method} ${req.url}`) },
  routes: (app, ctx) => {
    app.decorateRequest("sinchBot", null as never);
    const bots = new TtlCache<string, Sender | undefined>(1000);
    const load = (id: string) => ctx.storage.catalog.findSenderByAlias(SINCH_BOT_ID, id);

    app.addHook("onRequest", async (req, reply) => {
      // Read in onRequest, before the route validates its params.
      const botId = pathParam(req, "botId");
      if (botId === undefined) return;
      // A bot unknown to the cache is read again before the request is refused.
      const bot = (await bots.get(botId, load)) ?? (await bots.refresh(botId, load));
      // An unknown bot and another account's bot answer alike, so a key cannot probe which bots exist.
      if (!bot || bot.accountId !== req.account.id) {
        return sendError(reply, 401, "Unauthorized bot", `This API key is not authorized for bot ${botId}`);
      }
      req.sinchBot = bot;
    });

    sendRoutes(app, ctx);
    botRoutes(app, ctx);
    mediaRoutes(app, ctx);
  },
};
