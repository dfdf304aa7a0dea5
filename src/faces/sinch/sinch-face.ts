/**
 * The Sinch face: Sinch's WhatsApp API v1 under /whatsapp/v1, over the same core. A request
 * names a bot (`/whatsapp/v1/{bot-id}/…`, a sender's alias `sinchBotId`) and authenticates with
 * `Authorization: Bearer <API key>` of the account that owns the bot. Errors in Sinch's body.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import type { AppContext } from "../../app/context.ts";
import { TtlCache } from "../../app/ttl-cache.ts";
import type { Sender } from "../../core/account.ts";
import { botRoutes } from "./bot-routes.ts";
import { findingsToErrors, sendError, sendFieldErrors } from "./sinch-errors.ts";
import { sendBodyErrors, sendRoutes } from "./send-routes.ts";
import { SINCH_BOT_ID } from "./sinch-settings.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The sender the request's bot id names (Sinch face only). */
    sinchBot: Sender;
  }
}

function bearer(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

export async function sinchFace(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  await app.register(botApi, { ctx: opts.ctx, prefix: "/whatsapp/v1" });
}

async function botApi(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.decorateRequest("sinchBot", null as never);
  const bots = new TtlCache<string, Sender | undefined>(1000);
  const load = (id: string) => ctx.storage.catalog.findSenderByAlias(SINCH_BOT_ID, id);

  app.addHook("onRequest", async (req, reply) => {
    const key = bearer(req.headers.authorization);
    const account = key ? (ctx.lookups.peekAccount(key) ?? (await ctx.lookups.accountByApiKey(key))) : undefined;
    if (!account) {
      return sendError(reply, 401, "Unauthorized bot", "Send Authorization: Bearer <API key> with a valid key");
    }
    req.account = account;
    const botId = (req.params as { botId?: string }).botId;
    if (botId === undefined) return;
    // A bot unknown to the cache is read again before the request is refused.
    const bot = (await bots.get(botId, load)) ?? (await bots.refresh(botId, load));
    // An unknown bot and another account's bot answer alike, so a key cannot probe which bots exist.
    if (!bot || bot.accountId !== account.id) {
      return sendError(reply, 401, "Unauthorized bot", `This API key is not authorized for bot ${botId}`);
    }
    req.sinchBot = bot;
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      const clean = err.validationContext === "body" && req.routeOptions.url?.endsWith("/messages") ? sendBodyErrors(req.body) : [];
      return sendFieldErrors(reply, clean.length > 0 ? clean : findingsToErrors(err.validation, err.validationContext === "body" ? "" : err.validationContext));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, status, err.message);
    ctx.log.error({ err, method: req.method, url: req.url }, "request failed");
    return sendError(reply, 500, "Something went wrong");
  });

  app.setNotFoundHandler((req, reply) => sendError(reply, 404, `No route ${req.method} ${req.url}`));

  sendRoutes(app, ctx);
  botRoutes(app);
}
