/**
 * Meta's webhook configuration (Graph API `/{app-id}/subscriptions`, `/{waba-id}/subscribed_apps`
 * and a phone number's `webhook_configuration`): where the account's Meta webhooks go, at Meta's
 * levels (meta-settings.ts). Every callback URL passes the hub.challenge handshake before it takes
 * effect; a failed one is Graph's error 2200 and changes nothing. Graph takes the parameters in the
 * query, a JSON body or a form body alike. The token is one of the account's API keys, as
 * everywhere on this face, or on `/{app-id}/subscriptions` Meta's app access token
 * `{app-id}|{app-secret}` (the secret being the account's `meta.appSecret`); another account's app,
 * WABA or number is an object the token cannot see.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { changeSettings } from "../../app/manage-accounts.ts";
import type { Account, Sender } from "../../core/account.ts";
import { isHttpUrl } from "../../core/http-url.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import { metaError } from "../../meta-graph/graph-error.ts";
import { Success } from "../../meta-graph/message-schemas.ts";
import { verifySubscription } from "../../meta-graph/subscription-handshake.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { pathParam } from "../kit/request-fields.ts";
import { sendMetaError } from "./meta-errors.ts";
import { unknownObject, WabaPath } from "./meta-routing.ts";
import {
  APP_CALLBACK_URL,
  APP_FIELDS,
  appSubscriptionOf,
  META_DIALECT,
  metaAppIdOf,
  metaSettings,
  NUMBER_CALLBACK,
  numberCallbackOf,
  WABA_CALLBACK,
  WABA_FIELDS,
  WABA_OBJECT,
  wabaCallbackOf,
} from "./meta-settings.ts";

const tags = ["Meta Cloud API: webhooks"];
const Opt = Type.Optional;
const Text = (maxLength: number) => Type.String({ maxLength });
const AppPath = Type.Object({ appId: Type.String() });

/** `fields`: a comma-separated list (form and query) or an array (JSON). */
const Fields = Type.Union([Text(4000), Type.Array(Text(100), { maxItems: 100 })], {
  description: `Fields of whatsapp_business_account: ${WABA_FIELDS.join(", ")}`,
});
const AppSubscriptionParams = Type.Object({
  object: Opt(Type.String({ maxLength: 100, description: "whatsapp_business_account" })),
  callback_url: Opt(Type.String({ maxLength: 2048, description: "Where the webhooks go" })),
  verify_token: Opt(Text(500)),
  fields: Opt(Fields),
  include_values: Opt(Type.Union([Type.Boolean(), Text(10)])),
  access_token: Opt(Text(2000)),
});
const AppSubscriptionDelete = Type.Object({
  object: Opt(Text(100)),
  fields: Opt(Fields),
  access_token: Opt(Text(2000)),
});
const AppSubscriptions = Type.Object({
  data: Type.Array(
    Type.Object({
      object: Type.String(),
      callback_url: Type.String(),
      active: Type.Boolean(),
      fields: Type.Array(Type.Object({ name: Type.String(), version: Type.String() })),
    }),
  ),
});
const SubscribedAppParams = Type.Object({
  override_callback_uri: Opt(
    Type.String({ maxLength: 2048, description: "Empty: back to the app's callback" }),
  ),
  verify_token: Opt(Text(500)),
  access_token: Opt(Text(2000)),
});
const SubscribedApps = Type.Object({
  data: Type.Array(
    Type.Object({
      whatsapp_business_api_data: Type.Object({
        id: Type.String(),
        name: Type.String(),
        link: Type.String(),
      }),
      override_callback_uri: Opt(Type.String()),
    }),
  ),
});

/** A phone number's `webhook_configuration` (POST /{phone-number-id}); a form sends it as JSON text. */
export const WebhookConfiguration = Type.Union([
  Type.Object({
    override_callback_uri: Type.String({ maxLength: 2048, description: "Empty: the override is removed" }),
    verify_token: Opt(Text(500)),
  }),
  Text(3000),
]);

/** Graph's answer when a callback failed the handshake (code 2200), with Meta's wording. */
function sendVerificationFailed(reply: FastifyReply, reason: string) {
  const e = metaError(WA.callbackVerificationFailed.code, reason).error;
  return reply
    .code(400)
    .type("application/json")
    .send({ error: { ...e, message: `(#2200) ${WA.callbackVerificationFailed.title}: ${reason}` } });
}

const missing = (reply: FastifyReply, name: string) =>
  sendMetaError(reply, WA.invalidParameter.code, `The parameter ${name} is required`);

/**
 * Checks a new callback URL and runs the handshake; false when it answered the request (bad
 * parameter, failed handshake).
 */
async function verified(
  ctx: AppContext,
  reply: FastifyReply,
  url: string,
  token: string | undefined,
  names: { url: string; token: string },
): Promise<boolean> {
  if (!isHttpUrl(url)) {
    sendMetaError(reply, WA.invalidParameter.code, `${names.url} must be an http(s) URL`);
    return false;
  }
  if (token === undefined || token === "") {
    missing(reply, names.token);
    return false;
  }
  const shake = await verifySubscription(
    { webhookUrl: url, verifyToken: token },
    ctx.config.webhookTimeoutMs,
  );
  if (shake.ok) return true;
  sendVerificationFailed(reply, shake.reason);
  return false;
}

const setMeta = (ctx: AppContext, account: Account, changes: Record<string, string | null>) =>
  changeSettings(ctx, account.id, { [META_DIALECT]: changes });

function fieldList(fields: string | readonly string[] | undefined): string[] {
  const list = typeof fields === "string" ? fields.split(",") : (fields ?? []);
  return [...new Set(list.map((f) => f.trim()).filter(Boolean))];
}

/** Graph's parameters from the query and the body alike (the body wins). */
function mergeQueryIntoBody(req: FastifyRequest, _reply: FastifyReply, done: () => void) {
  const body = req.body && typeof req.body === "object" ? req.body : {};
  req.body = { ...(req.query as object), ...body };
  done();
}

const APP_TOKEN = /^(\d{1,20})\|(.{8,500})$/;
const SUBSCRIPTIONS_PATH = /^(?:\/v\d{1,2}\.\d)?\/(\d{1,20})\/subscriptions$/;

/**
 * Meta's app access token `{app-id}|{app-secret}`, taken on the app's own `/{app-id}/subscriptions`
 * only (as Meta does: it opens nothing else): the account whose app it names, if the secret is its
 * app secret.
 */
export async function appAccessToken(
  ctx: AppContext,
  req: FastifyRequest,
  key: string,
): Promise<Account | undefined> {
  const token = APP_TOKEN.exec(key);
  const path = SUBSCRIPTIONS_PATH.exec(req.url.split("?")[0] ?? "");
  if (!token || !path || token[1] !== path[1]) return undefined;
  const account = (await ctx.storage.catalog.listAccounts()).find((a) => metaAppIdOf(a) === token[1]);
  const secret = account && metaSettings(account)?.appSecret;
  if (!secret) return undefined;
  const given = Buffer.from(token[2] ?? "");
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected) ? account : undefined;
}

const versionOf = (req: FastifyRequest) => pathParam(req, "version") ?? "v23.0";

/** The app as `subscribed_apps` shows it. */
const appView = (account: Account) => {
  const id = metaAppIdOf(account);
  return { id, name: account.name, link: `https://www.facebook.com/games/?app_id=${id}` };
};

export function webhookConfigRoutes(app: FaceApp, ctx: AppContext): void {
  // Graph's form bodies (`curl -F`/`-d`), for these routes only.
  app.register(async (scope: FaceApp) => {
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 64 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    declare(scope, ctx);
  });
}

function declare(app: FaceApp, ctx: AppContext): void {
  /** The caller's own app id, or an unknown object. */
  const ownApp = (req: FastifyRequest<{ Params: { appId: string } }>, reply: FastifyReply): boolean => {
    if (req.params.appId === metaAppIdOf(req.account)) return true;
    unknownObject(reply, req.method, req.params.appId);
    return false;
  };

  app.route({
    method: "POST",
    url: "/:appId/subscriptions",
    preValidation: mergeQueryIntoBody,
    schema: {
      tags,
      summary:
        "Subscribe the app (the account's metaAppId) to whatsapp_business_account fields at a callback URL; the hub.challenge handshake runs first",
      params: AppPath,
      body: AppSubscriptionParams,
      response: { 200: Success },
    },
    handler: async (req, reply) => {
      if (!ownApp(req, reply)) return reply;
      const p = req.body as Static<typeof AppSubscriptionParams>;
      if (!p.object) return missing(reply, "object");
      if (p.object !== WABA_OBJECT)
        return sendMetaError(
          reply,
          WA.invalidParameter.code,
          `object: OpenBSP's apps subscribe to ${WABA_OBJECT} only, not ${p.object}`,
        );
      const fields = fieldList(p.fields);
      if (fields.length === 0) return missing(reply, "fields");
      const unknown = fields.find((f) => !(WABA_FIELDS as readonly string[]).includes(f));
      if (unknown)
        return sendMetaError(
          reply,
          WA.invalidParameter.code,
          `fields: ${unknown} is not a field of ${WABA_OBJECT}`,
        );
      const current = appSubscriptionOf(req.account);
      const url = p.callback_url ?? current?.url;
      if (!url) return missing(reply, "callback_url");
      // A new callback (or a new verify token for it) is verified; adding fields to a verified one is not.
      if (p.callback_url !== undefined || p.verify_token !== undefined || !current)
        if (
          !(await verified(ctx, reply, url, p.verify_token, { url: "callback_url", token: "verify_token" }))
        )
          return reply;
      // As at Meta, POSTing again adds fields to the object's subscription (and may move its callback).
      const all = [...new Set([...(current?.fields ?? []), ...fields])];
      await setMeta(ctx, req.account, { [APP_CALLBACK_URL]: url, [APP_FIELDS]: all.join(",") });
      return { success: true };
    },
  });

  app.route({
    method: "GET",
    url: "/:appId/subscriptions",
    schema: {
      tags,
      summary: "The app's webhook subscriptions: object, callback_url, active, fields",
      params: AppPath,
      response: { 200: AppSubscriptions },
    },
    handler: async (req, reply) => {
      if (!ownApp(req, reply)) return reply;
      const sub = appSubscriptionOf(req.account);
      const version = versionOf(req);
      return {
        data: sub
          ? [
              {
                object: WABA_OBJECT,
                callback_url: sub.url,
                active: true,
                fields: sub.fields.map((name) => ({ name, version })),
              },
            ]
          : [],
      };
    },
  });

  app.route({
    method: "DELETE",
    url: "/:appId/subscriptions",
    schema: {
      tags,
      summary:
        "Remove fields of the app's subscription, or the whole subscription (without fields); webhooks go back to the account's default",
      params: AppPath,
      querystring: AppSubscriptionDelete,
      response: { 200: Success },
    },
    handler: async (req, reply) => {
      if (!ownApp(req, reply)) return reply;
      const { object } = req.query;
      if (object !== undefined && object !== WABA_OBJECT) return { success: true };
      const current = appSubscriptionOf(req.account);
      if (!current) return { success: true };
      const drop = fieldList(req.query.fields);
      const left = drop.length === 0 ? [] : current.fields.filter((f) => !drop.includes(f));
      await setMeta(
        ctx,
        req.account,
        left.length === 0
          ? { [APP_CALLBACK_URL]: null, [APP_FIELDS]: null }
          : { [APP_FIELDS]: left.join(",") },
      );
      return { success: true };
    },
  });

  /** A sender of the WABA in the path, if the WABA is the caller's. */
  async function wabaOf(
    req: FastifyRequest<{ Params: { wabaId: string } }>,
    reply: FastifyReply,
  ): Promise<Sender | undefined> {
    const { wabaId } = req.params;
    const sender = (await ctx.storage.catalog.listSenders(wabaId)).find(
      (s) => s.accountId === req.account.id,
    );
    if (!sender) unknownObject(reply, req.method, wabaId);
    return sender;
  }

  app.route({
    method: "POST",
    url: "/:wabaId/subscribed_apps",
    preValidation: mergeQueryIntoBody,
    schema: {
      tags,
      summary:
        "Subscribe the app to the WABA; with override_callback_uri and verify_token its messages webhooks go there (after the handshake), without them back to the app's callback",
      params: WabaPath,
      body: SubscribedAppParams,
      response: { 200: Success },
    },
    handler: async (req, reply) => {
      if (!(await wabaOf(req, reply))) return reply;
      const p = req.body as Static<typeof SubscribedAppParams>;
      const { wabaId } = req.params;
      const url = p.override_callback_uri;
      if (url) {
        const names = { url: "override_callback_uri", token: "verify_token" };
        if (!(await verified(ctx, reply, url, p.verify_token, names))) return reply;
      }
      await setMeta(ctx, req.account, { [WABA_CALLBACK(wabaId)]: url || null });
      return { success: true };
    },
  });

  app.route({
    method: "GET",
    url: "/:wabaId/subscribed_apps",
    schema: {
      tags,
      summary: "The apps subscribed to the WABA (the account's app) and its override_callback_uri",
      params: WabaPath,
      response: { 200: SubscribedApps },
    },
    handler: async (req, reply) => {
      if (!(await wabaOf(req, reply))) return reply;
      const override = wabaCallbackOf(req.account, req.params.wabaId);
      return {
        data: [
          {
            whatsapp_business_api_data: appView(req.account),
            ...(override ? { override_callback_uri: override } : {}),
          },
        ],
      };
    },
  });

  app.route({
    method: "DELETE",
    url: "/:wabaId/subscribed_apps",
    schema: {
      tags,
      summary:
        "Remove the WABA's override: its webhooks go to the app's callback again (OpenBSP keeps every WABA of the account subscribed to the account's app)",
      params: WabaPath,
      response: { 200: Success },
    },
    handler: async (req, reply) => {
      if (!(await wabaOf(req, reply))) return reply;
      await setMeta(ctx, req.account, { [WABA_CALLBACK(req.params.wabaId)]: null });
      return { success: true };
    },
  });
}

/**
 * `POST /{phone-number-id}` with `webhook_configuration`: the number's own callback (after the
 * handshake), or none (`override_callback_uri: ""`). Answers, always.
 */
export async function setPhoneNumberCallback(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  sender: Sender,
  raw: Static<typeof WebhookConfiguration>,
) {
  let config: { override_callback_uri?: unknown; verify_token?: unknown };
  try {
    config = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    return sendMetaError(reply, WA.invalidParameter.code, "webhook_configuration must be a JSON object");
  }
  const url = config?.override_callback_uri;
  const token = config?.verify_token;
  if (typeof url !== "string") return missing(reply, "webhook_configuration.override_callback_uri");
  if (token !== undefined && typeof token !== "string")
    return sendMetaError(
      reply,
      WA.invalidParameter.code,
      "webhook_configuration.verify_token must be a string",
    );
  if (url) {
    const names = {
      url: "webhook_configuration.override_callback_uri",
      token: "webhook_configuration.verify_token",
    };
    if (!(await verified(ctx, reply, url, token, names))) return reply;
  }
  await setMeta(ctx, req.account, { [NUMBER_CALLBACK(sender.number)]: url || null });
  return { success: true };
}

/** `GET /{phone-number-id}?fields=webhook_configuration`: the callback of each level that has one. */
export function webhookConfigurationView(account: Account, sender: Sender) {
  const phone = numberCallbackOf(account, sender.number);
  const waba = wabaCallbackOf(account, sender.wabaId);
  const application = appSubscriptionOf(account)?.url ?? metaSettings(account)?.webhookUrl;
  return {
    ...(phone ? { phone_number: phone } : {}),
    ...(waba ? { whatsapp_business_account: waba } : {}),
    ...(application ? { application } : {}),
  };
}
