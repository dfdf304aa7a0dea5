/**
 * Infobip's Subscriptions API for the WHATSAPP channel (seed 002): notification profiles (a
 * webhook URL) and subscriptions that send chosen events — DELIVERY, SEEN, INBOUND_MESSAGE,
 * TEMPLATE_UPDATE — to a profile, narrowed by criteria (sender, applicationId, entityId). A
 * message's notifyUrl still wins for its own reports; an event no subscription takes goes to the
 * account's default URL. Kept per account (SubscriptionStore: a row each, so two changes made at
 * once to one account are both kept), so no account sees another's.
 *
 * A profile's `security` (Infobip's security settings, by `authId`, made inline or at
 * `/subscriptions/1/security`): BASIC credentials put
 * `Authorization: Basic` on each POST to the profile's URL; they are kept apart from the profile
 * and never read back. HMAC and OAUTH answer 501: the Infobip documentation at hand names their
 * credentials but not the header and signed string of an HMAC-signed webhook, and OpenBSP does
 * not make them up. Every subscription's webhooks carry a Standard Webhooks signature with the
 * subscription's own secret, made on creation and shown once in the answer (`webhookSecret`).
 */
import { type Static, Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { nextSigning } from "../../app/manage-webhook-secrets.ts";
import type {
  AccountSubscriptions,
  EventSubscription,
  NotificationProfile,
  WebhookCredentials,
} from "../../core/event-subscription.ts";
import type { AlongWith } from "../../store/subscription-store.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { sendError } from "./infobip-errors.ts";
import { ErrorBody } from "./schemas/common.ts";

const tags = ["Infobip Subscriptions"];
const Id = Type.String({ minLength: 1, maxLength: 255, pattern: "^[A-Za-z0-9_.~-]+$" });
const HttpUrl = Type.String({ pattern: "^https?://\\S+$", maxLength: 2000 });
const EVENTS = [
  "DELIVERY",
  "SEEN",
  "CLICK",
  "INBOUND_MESSAGE",
  "TEMPLATE_UPDATE",
  "ACCOUNT_REGISTRATION",
  "PAYMENT_STATUS",
] as const;
const Credential = Type.String({ minLength: 1, maxLength: 255 });
/** Infobip's credential types: BasicCredentials (username, password), HmacCredentials (secretKey, algorithm). */
const Credentials = Type.Object({
  username: Type.Optional(Credential),
  password: Type.Optional(Credential),
  secretKey: Type.Optional(Credential),
  algorithm: Type.Optional(Type.String({ maxLength: 255 })),
});
const Security = Type.Optional(
  Type.Object({
    authId: Id,
    type: Type.Optional(Type.Enum(["BASIC", "HMAC", "OAUTH"])),
    credentials: Type.Optional(Credentials),
  }),
);
type GivenSecurity = NonNullable<Static<typeof Security>>;
const ProfileBody = Type.Object({
  profileId: Id,
  webhook: Type.Object({ notifyUrl: HttpUrl, contentType: Type.Optional(Type.String()) }),
  security: Security,
});
const Criterion = Type.Object(
  {
    sender: Type.Optional(Type.String({ maxLength: 20 })),
    applicationId: Type.Optional(Type.String({ maxLength: 255 })),
    entityId: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);
const SubscriptionFields = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  events: Type.Array(Type.Enum([...EVENTS]), { maxItems: 255 }),
  profile: Type.Object({
    profileId: Id,
    webhook: Type.Optional(Type.Object({ notifyUrl: HttpUrl })),
    security: Security,
  }),
  criteria: Type.Optional(Type.Array(Criterion, { maxItems: 100 })),
};
const NewSubscription = Type.Object({ subscriptionId: Id, ...SubscriptionFields });
const ChangedSubscription = Type.Object(SubscriptionFields);
const Channel = Type.Object({ channel: Type.String() });
const ChannelAndId = Type.Object({ channel: Type.String(), subscriptionId: Type.String() });
const ProfileId = Type.Object({ profileId: Type.String() });
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 501: ErrorBody };
const created = { 201: Type.Unknown({ description: "What was created" }), ...errors };
const deleted = { 204: Type.Null(), ...errors };

/** A profile as read back: its security setting by id and type, never its credentials. */
const profileView = (p: NotificationProfile, secrets: Readonly<Record<string, WebhookCredentials>>) => {
  const type = p.authId !== undefined ? secrets[p.authId]?.type : undefined;
  return {
    profileId: p.profileId,
    webhook: { notifyUrl: p.notifyUrl },
    ...(p.authId !== undefined ? { security: { authId: p.authId, ...(type ? { type } : {}) } } : {}),
  };
};
const subscriptionView = (s: EventSubscription) => ({
  subscriptionId: s.subscriptionId,
  ...(s.name !== undefined ? { name: s.name } : {}),
  profile: { profileId: s.profileId },
  events: s.events,
  criteria: s.criteria,
});
const withAuth = (p: NotificationProfile, authId: string | undefined): NotificationProfile =>
  authId !== undefined ? { ...p, authId } : p;
const page = <T>(results: T[]) => ({
  results,
  paging: { page: 0, size: results.length, totalPages: 1, totalResults: results.length },
});

/** What a profile's `security` comes to: its authId and the credentials to keep, or the 4xx/501 to answer. */
type SecurityOutcome =
  | { readonly authId?: string; readonly write?: NonNullable<AlongWith["security"]> }
  | { readonly status: 400 | 501; readonly field: string; readonly message: string };

function securityFor(
  secrets: Readonly<Record<string, WebhookCredentials>>,
  given: GivenSecurity | undefined,
  prefix: string,
): SecurityOutcome {
  const field = { authId: `${prefix}authId`, type: `${prefix}type`, credentials: `${prefix}credentials` };
  if (!given) return {};
  const known = secrets[given.authId];
  // An existing security setting is reused by its id alone, as Infobip allows.
  if (!given.credentials && given.type === undefined) {
    if (!known)
      return {
        status: 400,
        field: field.authId,
        message: `no security setting ${given.authId}: define its type and credentials`,
      };
    return { authId: given.authId };
  }
  const type = given.type ?? "BASIC";
  if (type !== "BASIC")
    return {
      status: 501,
      field: field.type,
      message:
        `${type} webhook security is not built: the Infobip documentation at hand does not say which header ` +
        "and string an HMAC-signed (or OAuth) webhook carries. Use BASIC, or verify the Standard Webhooks " +
        "signature every subscription's webhooks carry (webhook-signature, the subscription's own secret)",
    };
  const username = given.credentials?.username;
  const password = given.credentials?.password;
  if (!username)
    return {
      status: 400,
      field: `${field.credentials}.username`,
      message: "BASIC security needs a username",
    };
  if (!password)
    return {
      status: 400,
      field: `${field.credentials}.password`,
      message: "BASIC security needs a password",
    };
  return { authId: given.authId, write: { authId: given.authId, credentials: { type, username, password } } };
}

const failed = (o: SecurityOutcome): o is Extract<SecurityOutcome, { status: number }> => "status" in o;

/** The security settings as they are once `write` (if any) is kept, for the answer's view. */
const withWritten = (
  secrets: Readonly<Record<string, WebhookCredentials>>,
  write: AlongWith["security"] | undefined,
): Readonly<Record<string, WebhookCredentials>> =>
  write ? { ...secrets, [write.authId]: write.credentials } : secrets;

export function subscriptionRoutes(app: FaceApp, ctx: AppContext): void {
  const store = ctx.storage.subscriptions;
  const load = (accountId: string): Promise<AccountSubscriptions> => store.subscriptionsOf(accountId);
  const badChannel = (reply: Parameters<typeof sendError>[0], channel: string) =>
    sendError(reply, 400, { channel: [`only WHATSAPP subscriptions are served here, not ${channel}`] });

  app.post(
    "/subscriptions/1/profiles",
    {
      schema: {
        tags,
        summary: "Create a notification profile (a webhook URL)",
        body: ProfileBody,
        response: created,
      },
    },
    async (req, reply) => {
      const subs = await load(req.account.id);
      const exists = () => sendError(reply, 400, { profileId: ["a profile with this id exists"] });
      if (subs.profiles.some((p) => p.profileId === req.body.profileId)) return exists();
      const security = securityFor(subs.security, req.body.security, "security.");
      if (failed(security))
        return sendError(reply, security.status, { [security.field]: [security.message] });
      const profile = withAuth(
        { profileId: req.body.profileId, notifyUrl: req.body.webhook.notifyUrl },
        security.authId,
      );
      const along = security.write ? { security: security.write } : undefined;
      if (!(await store.createProfile(req.account.id, profile, along))) return exists();
      return reply.code(201).send(profileView(profile, withWritten(subs.security, security.write)));
    },
  );

  app.get(
    "/subscriptions/1/profiles",
    { schema: { tags, summary: "List notification profiles" } },
    async (req) => {
      const subs = await load(req.account.id);
      return page(subs.profiles.map((p) => profileView(p, subs.security)));
    },
  );

  app.get(
    "/subscriptions/1/profiles/:profileId",
    { schema: { tags, summary: "Get a notification profile", params: ProfileId, response: errors } },
    async (req, reply) => {
      const subs = await load(req.account.id);
      const p = subs.profiles.find((x) => x.profileId === req.params.profileId);
      return p ? profileView(p, subs.security) : sendError(reply, 404, undefined, "no such profile");
    },
  );

  app.put(
    "/subscriptions/1/profiles/:profileId",
    {
      schema: {
        tags,
        summary: "Change a notification profile's webhook",
        params: ProfileId,
        body: Type.Object({ webhook: Type.Object({ notifyUrl: HttpUrl }), security: Security }),
        response: errors,
      },
    },
    async (req, reply) => {
      const subs = await load(req.account.id);
      const old = subs.profiles.find((p) => p.profileId === req.params.profileId);
      if (!old) return sendError(reply, 404, undefined, "no such profile");
      const security = securityFor(subs.security, req.body.security, "security.");
      if (failed(security))
        return sendError(reply, security.status, { [security.field]: [security.message] });
      // No security given: the profile keeps the one it had.
      const changed = withAuth(
        { profileId: req.params.profileId, notifyUrl: req.body.webhook.notifyUrl },
        req.body.security ? security.authId : old.authId,
      );
      const along = security.write ? { security: security.write } : undefined;
      if (!(await store.updateProfile(req.account.id, changed, along)))
        return sendError(reply, 404, undefined, "no such profile");
      return profileView(changed, withWritten(subs.security, security.write));
    },
  );

  app.delete(
    "/subscriptions/1/profiles/:profileId",
    {
      schema: {
        tags,
        summary: "Delete a notification profile no subscription uses",
        params: ProfileId,
        response: deleted,
      },
    },
    async (req, reply) => {
      const outcome = await store.deleteProfile(req.account.id, req.params.profileId);
      if (outcome === "missing") return sendError(reply, 404, undefined, "no such profile");
      if (outcome === "in-use")
        return sendError(reply, 400, { profileId: ["a subscription uses this profile"] });
      return reply.code(204).send();
    },
  );

  // Security settings on their own (Infobip's /subscriptions/1/security): made here or inline in a
  // profile, used by profiles through their authId; read back as {authId, type}, never credentials.
  const securityView = (authId: string, c: WebhookCredentials) => ({ authId, type: c.type });
  const AuthIdParams = Type.Object({ authId: Type.String() });
  const CredentialsBody = Type.Object({
    type: Type.Optional(Type.Enum(["BASIC", "HMAC", "OAUTH"])),
    credentials: Credentials,
  });

  app.post(
    "/subscriptions/1/security",
    {
      schema: {
        tags,
        summary:
          "Create security settings (BASIC: Authorization: Basic on each POST; HMAC and OAUTH are 501)",
        body: Type.Object({ authId: Id, ...CredentialsBody.properties }),
        response: created,
      },
    },
    async (req, reply) => {
      const subs = await load(req.account.id);
      const exists = () => sendError(reply, 400, { authId: ["security settings with this id exist"] });
      if (subs.security[req.body.authId]) return exists();
      const made = securityFor(subs.security, req.body, "");
      if (failed(made)) return sendError(reply, made.status, { [made.field]: [made.message] });
      // The body's credentials are required, so what is made is always a write.
      const write = made.write as NonNullable<typeof made.write>;
      if (!(await store.createSecurity(req.account.id, write.authId, write.credentials))) return exists();
      return reply.code(201).send({ authId: req.body.authId });
    },
  );

  app.get("/subscriptions/1/security", { schema: { tags, summary: "List security settings" } }, async (req) =>
    page(Object.entries((await load(req.account.id)).security).map(([id, c]) => securityView(id, c))),
  );

  app.get(
    "/subscriptions/1/security/:authId",
    {
      schema: {
        tags,
        summary: "Get security settings (never their credentials)",
        params: AuthIdParams,
        response: errors,
      },
    },
    async (req, reply) => {
      const c = (await load(req.account.id)).security[req.params.authId];
      return c
        ? securityView(req.params.authId, c)
        : sendError(reply, 404, undefined, "no such security settings");
    },
  );

  app.put(
    "/subscriptions/1/security/:authId",
    {
      schema: {
        tags,
        summary: "Change security settings' credentials (the profiles using them send the new ones)",
        params: AuthIdParams,
        body: CredentialsBody,
        response: errors,
      },
    },
    async (req, reply) => {
      const subs = await load(req.account.id);
      const { authId } = req.params;
      const missing = () => sendError(reply, 404, undefined, "no such security settings");
      if (!subs.security[authId]) return missing();
      const changed = securityFor(subs.security, { authId, ...req.body }, "");
      if (failed(changed)) return sendError(reply, changed.status, { [changed.field]: [changed.message] });
      const write = changed.write as NonNullable<typeof changed.write>;
      if (!(await store.updateSecurity(req.account.id, authId, write.credentials))) return missing();
      return securityView(authId, write.credentials);
    },
  );

  app.delete(
    "/subscriptions/1/security/:authId",
    {
      schema: {
        tags,
        summary: "Delete security settings no profile uses",
        params: AuthIdParams,
        response: deleted,
      },
    },
    async (req, reply) => {
      const outcome = await store.deleteSecurity(req.account.id, req.params.authId);
      if (outcome === "missing") return sendError(reply, 404, undefined, "no such security settings");
      if (outcome === "in-use")
        return sendError(reply, 400, { authId: ["a profile uses these security settings"] });
      return reply.code(204).send();
    },
  );

  /**
   * The subscription's profile: an existing one by id, or a new one defined inline (with its
   * security, if given); the profiles and security settings to keep, or what to answer instead.
   */
  const profileFor = (
    subs: AccountSubscriptions,
    given: {
      profileId: string;
      webhook?: { notifyUrl: string } | undefined;
      security?: GivenSecurity | undefined;
    },
  ): { along: AlongWith } | { status: 400 | 501; field: string; message: string } => {
    const known = subs.profiles.find((p) => p.profileId === given.profileId);
    if (given.webhook) {
      const security = securityFor(subs.security, given.security, "profile.security.");
      if (failed(security)) return security;
      const inline = withAuth(
        { profileId: given.profileId, notifyUrl: given.webhook.notifyUrl },
        given.security ? security.authId : known?.authId,
      );
      return { along: { profile: inline, ...(security.write ? { security: security.write } : {}) } };
    }
    return known
      ? { along: {} }
      : {
          status: 400,
          field: "profile.profileId",
          message: `no profile ${given.profileId}: create it first or define its webhook here`,
        };
  };

  app.post(
    "/subscriptions/1/subscription/:channel",
    {
      schema: {
        tags,
        summary: "Create a subscription: these events, matching these criteria, go to the profile's webhook",
        description:
          "ACCOUNT_REGISTRATION and PAYMENT_STATUS are accepted, but OpenBSP produces no such event, so none " +
          "is sent. The 201 carries `webhookSecret`, the subscription's own Standard Webhooks secret, this once. " +
          "A profile's BASIC security is applied; HMAC and OAUTH answer 501.",
        params: Channel,
        body: NewSubscription,
        response: created,
      },
    },
    async (req, reply) => {
      if (req.params.channel !== "WHATSAPP") return badChannel(reply, req.params.channel);
      const subs = await load(req.account.id);
      const exists = () => sendError(reply, 400, { subscriptionId: ["a subscription with this id exists"] });
      if (subs.subscriptions.some((s) => s.subscriptionId === req.body.subscriptionId)) return exists();
      const chosen = profileFor(subs, req.body.profile);
      if ("status" in chosen) return sendError(reply, chosen.status, { [chosen.field]: [chosen.message] });
      const subscription: EventSubscription = {
        subscriptionId: req.body.subscriptionId,
        ...(req.body.name !== undefined ? { name: req.body.name } : {}),
        channel: "WHATSAPP",
        events: req.body.events,
        profileId: req.body.profile.profileId,
        criteria: req.body.criteria ?? [],
      };
      // The subscription's own Standard Webhooks secret, kept with it and shown this once (rotated by the admin API).
      const { secret, signing } = nextSigning(undefined, ctx.clock.now(), 0);
      if (!(await store.createSubscription(req.account.id, subscription, signing, chosen.along)))
        return exists();
      return reply.code(201).send({ ...subscriptionView(subscription), webhookSecret: secret });
    },
  );

  app.get(
    "/subscriptions/1/subscription/:channel",
    { schema: { tags, summary: "List the channel's subscriptions", params: Channel } },
    async (req, reply) => {
      if (req.params.channel !== "WHATSAPP") return badChannel(reply, req.params.channel);
      return page((await load(req.account.id)).subscriptions.map(subscriptionView));
    },
  );

  app.get(
    "/subscriptions/1/subscription/:channel/:subscriptionId",
    { schema: { tags, summary: "Get a subscription", params: ChannelAndId, response: errors } },
    async (req, reply) => {
      const s = (await load(req.account.id)).subscriptions.find(
        (x) => x.subscriptionId === req.params.subscriptionId && x.channel === req.params.channel,
      );
      return s ? subscriptionView(s) : sendError(reply, 404, undefined, "no such subscription");
    },
  );

  app.put(
    "/subscriptions/1/subscription/:channel/:subscriptionId",
    {
      schema: {
        tags,
        summary: "Change a subscription's events, criteria or profile",
        params: ChannelAndId,
        body: ChangedSubscription,
        response: errors,
      },
    },
    async (req, reply) => {
      const subs = await load(req.account.id);
      const old = subs.subscriptions.find(
        (x) => x.subscriptionId === req.params.subscriptionId && x.channel === req.params.channel,
      );
      if (!old) return sendError(reply, 404, undefined, "no such subscription");
      const chosen = profileFor(subs, req.body.profile);
      if ("status" in chosen) return sendError(reply, chosen.status, { [chosen.field]: [chosen.message] });
      const changed: EventSubscription = {
        ...old,
        ...(req.body.name !== undefined ? { name: req.body.name } : {}),
        events: req.body.events,
        profileId: req.body.profile.profileId,
        criteria: req.body.criteria ?? [],
      };
      if (!(await store.updateSubscription(req.account.id, changed, chosen.along)))
        return sendError(reply, 404, undefined, "no such subscription");
      return subscriptionView(changed);
    },
  );

  app.delete(
    "/subscriptions/1/subscription/:channel/:subscriptionId",
    { schema: { tags, summary: "Delete a subscription", params: ChannelAndId, response: deleted } },
    async (req, reply) => {
      // Its signing secrets go with it.
      if (!(await store.deleteSubscription(req.account.id, req.params.channel, req.params.subscriptionId)))
        return sendError(reply, 404, undefined, "no such subscription");
      return reply.code(204).send();
    },
  );
}
