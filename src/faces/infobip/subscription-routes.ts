/**
 * Infobip's Subscriptions API for the WHATSAPP channel (seed 002): notification profiles (a
 * webhook URL) and subscriptions that send chosen events — DELIVERY, SEEN, INBOUND_MESSAGE,
 * TEMPLATE_UPDATE — to a profile, narrowed by criteria (sender, applicationId, entityId). A
 * message's notifyUrl still wins for its own reports; an event no subscription takes goes to the
 * account's default URL. Kept per account, so no account sees another's.
 */
import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { changeSettings } from "../../app/manage-accounts.ts";
import type { Account } from "../../core/account.ts";
import type { EventSubscription, NotificationProfile } from "../../core/event-subscription.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { sendError } from "./infobip-errors.ts";
import { INFOBIP_DIALECT, PROFILES, profilesOf, SUBSCRIPTIONS, subscriptionsOf } from "./infobip-settings.ts";
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
const Security = Type.Optional(
  Type.Object({
    authId: Type.Optional(Type.String()),
    type: Type.Optional(Type.Enum(["BASIC", "HMAC"])),
  }),
);
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
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };
const created = { 201: Type.Unknown({ description: "What was created" }), ...errors };
const deleted = { 204: Type.Null(), ...errors };

const profileView = (p: NotificationProfile) => ({
  profileId: p.profileId,
  webhook: { notifyUrl: p.notifyUrl },
});
const subscriptionView = (s: EventSubscription) => ({
  subscriptionId: s.subscriptionId,
  ...(s.name !== undefined ? { name: s.name } : {}),
  profile: { profileId: s.profileId },
  events: s.events,
  criteria: s.criteria,
});
const page = <T>(results: T[]) => ({
  results,
  paging: { page: 0, size: results.length, totalPages: 1, totalResults: results.length },
});

async function save(
  ctx: AppContext,
  account: Account,
  subscriptions: readonly EventSubscription[],
  profiles: readonly NotificationProfile[],
): Promise<void> {
  await changeSettings(ctx, account.id, {
    [INFOBIP_DIALECT]: {
      [SUBSCRIPTIONS]: subscriptions.length > 0 ? JSON.stringify(subscriptions) : null,
      [PROFILES]: profiles.length > 0 ? JSON.stringify(profiles) : null,
    },
  });
}

/** The account as stored now (not the cached copy): changes must build on the latest lists. */
const fresh = async (ctx: AppContext, account: Account) =>
  (await ctx.storage.catalog.getAccount(account.id)) ?? account;

export function subscriptionRoutes(app: FaceApp, ctx: AppContext): void {
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
      const account = await fresh(ctx, req.account);
      const profiles = profilesOf(account);
      if (profiles.some((p) => p.profileId === req.body.profileId))
        return sendError(reply, 400, { profileId: ["a profile with this id exists"] });
      const profile = { profileId: req.body.profileId, notifyUrl: req.body.webhook.notifyUrl };
      await save(ctx, account, subscriptionsOf(account), [...profiles, profile]);
      return reply.code(201).send(profileView(profile));
    },
  );

  app.get(
    "/subscriptions/1/profiles",
    { schema: { tags, summary: "List notification profiles" } },
    async (req) => page(profilesOf(await fresh(ctx, req.account)).map(profileView)),
  );

  app.get(
    "/subscriptions/1/profiles/:profileId",
    { schema: { tags, summary: "Get a notification profile", params: ProfileId, response: errors } },
    async (req, reply) => {
      const p = profilesOf(await fresh(ctx, req.account)).find((x) => x.profileId === req.params.profileId);
      return p ? profileView(p) : sendError(reply, 404, undefined, "no such profile");
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
      const account = await fresh(ctx, req.account);
      const profiles = profilesOf(account);
      if (!profiles.some((p) => p.profileId === req.params.profileId))
        return sendError(reply, 404, undefined, "no such profile");
      const changed = { profileId: req.params.profileId, notifyUrl: req.body.webhook.notifyUrl };
      await save(
        ctx,
        account,
        subscriptionsOf(account),
        profiles.map((p) => (p.profileId === changed.profileId ? changed : p)),
      );
      return profileView(changed);
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
      const account = await fresh(ctx, req.account);
      const profiles = profilesOf(account);
      if (!profiles.some((p) => p.profileId === req.params.profileId))
        return sendError(reply, 404, undefined, "no such profile");
      if (subscriptionsOf(account).some((s) => s.profileId === req.params.profileId))
        return sendError(reply, 400, { profileId: ["a subscription uses this profile"] });
      await save(
        ctx,
        account,
        subscriptionsOf(account),
        profiles.filter((p) => p.profileId !== req.params.profileId),
      );
      return reply.code(204).send();
    },
  );

  /** The subscription's profile: an existing one by id, or a new one defined inline. */
  const profileFor = (
    profiles: NotificationProfile[],
    given: { profileId: string; webhook?: { notifyUrl: string } | undefined },
  ): NotificationProfile[] | string => {
    const known = profiles.find((p) => p.profileId === given.profileId);
    if (given.webhook) {
      const inline = { profileId: given.profileId, notifyUrl: given.webhook.notifyUrl };
      return known
        ? profiles.map((p) => (p.profileId === inline.profileId ? inline : p))
        : [...profiles, inline];
    }
    return known ? profiles : `no profile ${given.profileId}: create it first or define its webhook here`;
  };

  app.post(
    "/subscriptions/1/subscription/:channel",
    {
      schema: {
        tags,
        summary: "Create a subscription: these events, matching these criteria, go to the profile's webhook",
        params: Channel,
        body: NewSubscription,
        response: created,
      },
    },
    async (req, reply) => {
      if (req.params.channel !== "WHATSAPP") return badChannel(reply, req.params.channel);
      const account = await fresh(ctx, req.account);
      const subscriptions = subscriptionsOf(account);
      if (subscriptions.some((s) => s.subscriptionId === req.body.subscriptionId))
        return sendError(reply, 400, { subscriptionId: ["a subscription with this id exists"] });
      const profiles = profileFor(profilesOf(account), req.body.profile);
      if (typeof profiles === "string") return sendError(reply, 400, { "profile.profileId": [profiles] });
      const subscription: EventSubscription = {
        subscriptionId: req.body.subscriptionId,
        ...(req.body.name !== undefined ? { name: req.body.name } : {}),
        channel: "WHATSAPP",
        events: req.body.events,
        profileId: req.body.profile.profileId,
        criteria: req.body.criteria ?? [],
      };
      await save(ctx, account, [...subscriptions, subscription], profiles);
      return reply.code(201).send(subscriptionView(subscription));
    },
  );

  app.get(
    "/subscriptions/1/subscription/:channel",
    { schema: { tags, summary: "List the channel's subscriptions", params: Channel } },
    async (req, reply) => {
      if (req.params.channel !== "WHATSAPP") return badChannel(reply, req.params.channel);
      return page(subscriptionsOf(await fresh(ctx, req.account)).map(subscriptionView));
    },
  );

  app.get(
    "/subscriptions/1/subscription/:channel/:subscriptionId",
    { schema: { tags, summary: "Get a subscription", params: ChannelAndId, response: errors } },
    async (req, reply) => {
      const s = subscriptionsOf(await fresh(ctx, req.account)).find(
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
      const account = await fresh(ctx, req.account);
      const subscriptions = subscriptionsOf(account);
      const old = subscriptions.find(
        (x) => x.subscriptionId === req.params.subscriptionId && x.channel === req.params.channel,
      );
      if (!old) return sendError(reply, 404, undefined, "no such subscription");
      const profiles = profileFor(profilesOf(account), req.body.profile);
      if (typeof profiles === "string") return sendError(reply, 400, { "profile.profileId": [profiles] });
      const changed: EventSubscription = {
        ...old,
        ...(req.body.name !== undefined ? { name: req.body.name } : {}),
        events: req.body.events,
        profileId: req.body.profile.profileId,
        criteria: req.body.criteria ?? [],
      };
      await save(
        ctx,
        account,
        subscriptions.map((s) => (s === old ? changed : s)),
        profiles,
      );
      return subscriptionView(changed);
    },
  );

  app.delete(
    "/subscriptions/1/subscription/:channel/:subscriptionId",
    { schema: { tags, summary: "Delete a subscription", params: ChannelAndId, response: deleted } },
    async (req, reply) => {
      const account = await fresh(ctx, req.account);
      const subscriptions = subscriptionsOf(account);
      const left = subscriptions.filter(
        (x) => !(x.subscriptionId === req.params.subscriptionId && x.channel === req.params.channel),
      );
      if (left.length === subscriptions.length)
        return sendError(reply, 404, undefined, "no such subscription");
      await save(ctx, account, left, profilesOf(account));
      return reply.code(204).send();
    },
  );
}
