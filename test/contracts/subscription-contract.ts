/**
 * The SubscriptionStore contract: an account's event subscriptions, notification profiles and
 * security settings as rows of their own — written with what they name in one go, refused whole
 * when their id is taken, deleted only when unused, per account, and two changes made at once to
 * one account both kept.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type {
  EventSubscription,
  NotificationProfile,
  WebhookCredentials,
} from "../../src/core/event-subscription.ts";
import type { Storage } from "../../src/store/storage.ts";
import { type StorageFactory, T0, testPlan } from "./fixtures.ts";

const subscription = (over: Partial<EventSubscription> = {}): EventSubscription => ({
  subscriptionId: "sub-1",
  channel: "WHATSAPP",
  events: ["DELIVERY", "SEEN"],
  profileId: "prof-1",
  criteria: [],
  ...over,
});
const profile = (over: Partial<NotificationProfile> = {}): NotificationProfile => ({
  profileId: "prof-1",
  notifyUrl: "https://example.com/hook",
  ...over,
});
const basic = (password = "pw-1"): WebhookCredentials => ({ type: "BASIC", username: "user", password });

export function defineSubscriptionContract(name: string, factory: StorageFactory): void {
  describe(`SubscriptionStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
    });
    afterEach(() => storage.close());

    it("an account without any reads as empty lists", async () => {
      assert.deepEqual(await storage.subscriptions.subscriptionsOf("acc-1"), {
        subscriptions: [],
        profiles: [],
        security: {},
        signing: {},
      });
    });

    it("keeps a subscription with its inline profile, security and first secret, as given", async () => {
      const s = subscription({
        name: "reports",
        criteria: [{ sender: "441134960000" }, { applicationId: "app-1", entityId: "ent-1" }],
      });
      assert.equal(
        await storage.subscriptions.createSubscription(
          "acc-1",
          s,
          { secret: "whsec_one" },
          {
            profile: profile({ authId: "auth-1" }),
            security: { authId: "auth-1", credentials: basic() },
          },
        ),
        true,
      );
      assert.deepEqual(await storage.subscriptions.subscriptionsOf("acc-1"), {
        subscriptions: [s],
        profiles: [profile({ authId: "auth-1" })],
        security: { "auth-1": basic() },
        signing: { "sub-1": { secret: "whsec_one" } },
      });
    });

    it("refuses a subscription id the account has, writing none of what it names", async () => {
      const store = storage.subscriptions;
      await store.createProfile("acc-1", profile());
      assert.ok(await store.createSubscription("acc-1", subscription(), { secret: "whsec_one" }));
      const again = await store.createSubscription(
        "acc-1",
        subscription({ events: ["CLICK"] }),
        { secret: "whsec_two" },
        { profile: profile({ profileId: "prof-2" }), security: { authId: "auth-2", credentials: basic() } },
      );
      assert.equal(again, false);
      const now = await store.subscriptionsOf("acc-1");
      assert.deepEqual(now.subscriptions, [subscription()]);
      assert.deepEqual(now.profiles, [profile()]);
      assert.deepEqual(now.security, {});
      assert.deepEqual(now.signing, { "sub-1": { secret: "whsec_one" } });
      // Another account may use the same id.
      assert.ok(await store.createSubscription("acc-2", subscription(), {}));
    });

    it("lists subscriptions and profiles in the order they were made", async () => {
      const store = storage.subscriptions;
      for (const id of ["zeta", "alpha", "mid"]) {
        await store.createProfile("acc-1", profile({ profileId: `p-${id}` }));
        await store.createSubscription(
          "acc-1",
          subscription({ subscriptionId: id, profileId: `p-${id}` }),
          {},
        );
      }
      const now = await store.subscriptionsOf("acc-1");
      assert.deepEqual(
        now.subscriptions.map((s) => s.subscriptionId),
        ["zeta", "alpha", "mid"],
      );
      assert.deepEqual(
        now.profiles.map((p) => p.profileId),
        ["p-zeta", "p-alpha", "p-mid"],
      );
    });

    it("changes a subscription (its secrets stay); an unknown one, or of another channel, is false", async () => {
      const store = storage.subscriptions;
      await store.createSubscription(
        "acc-1",
        subscription(),
        { secret: "whsec_one" },
        { profile: profile() },
      );
      const changed = subscription({
        name: "renamed",
        events: ["TEMPLATE_UPDATE"],
        profileId: "prof-2",
        criteria: [{ applicationId: "app-9" }],
      });
      assert.ok(
        await store.updateSubscription("acc-1", changed, { profile: profile({ profileId: "prof-2" }) }),
      );
      const now = await store.subscriptionsOf("acc-1");
      assert.deepEqual(now.subscriptions, [changed]);
      assert.deepEqual(
        now.profiles.map((p) => p.profileId),
        ["prof-1", "prof-2"],
      );
      assert.deepEqual(now.signing, { "sub-1": { secret: "whsec_one" } });
      assert.equal(await store.updateSubscription("acc-1", subscription({ subscriptionId: "nope" })), false);
      assert.equal(await store.updateSubscription("acc-1", subscription({ channel: "SMS" })), false);
      assert.equal(await store.updateSubscription("acc-2", changed), false);
    });

    it("sets a subscription's signing secrets; deleting it deletes them", async () => {
      const store = storage.subscriptions;
      await store.createSubscription("acc-1", subscription(), { secret: "whsec_one" });
      assert.ok(
        await store.setSigning("acc-1", "sub-1", {
          secret: "whsec_two",
          previous: "whsec_one",
          previousUntil: T0 + 60_000,
        }),
      );
      assert.deepEqual((await store.subscriptionsOf("acc-1")).signing, {
        "sub-1": { secret: "whsec_two", previous: "whsec_one", previousUntil: T0 + 60_000 },
      });
      assert.ok(await store.setSigning("acc-1", "sub-1", {}));
      assert.deepEqual((await store.subscriptionsOf("acc-1")).signing, {});
      assert.equal(await store.setSigning("acc-1", "nope", { secret: "x" }), false);
      assert.equal(await store.setSigning("acc-2", "sub-1", { secret: "x" }), false);

      await store.setSigning("acc-1", "sub-1", { secret: "whsec_three" });
      assert.equal(await store.deleteSubscription("acc-1", "SMS", "sub-1"), false, "another channel's");
      assert.ok(await store.deleteSubscription("acc-1", "WHATSAPP", "sub-1"));
      assert.equal(await store.deleteSubscription("acc-1", "WHATSAPP", "sub-1"), false);
      // Made again under the same id, it has only the secret it is made with.
      await store.createSubscription("acc-1", subscription(), {});
      assert.deepEqual((await store.subscriptionsOf("acc-1")).signing, {});
    });

    it("profiles: an id taken is refused, an unknown one not changed, one in use not deleted", async () => {
      const store = storage.subscriptions;
      assert.ok(await store.createProfile("acc-1", profile()));
      assert.equal(await store.createProfile("acc-1", profile({ notifyUrl: "https://other/x" })), false);
      assert.equal((await store.subscriptionsOf("acc-1")).profiles[0]?.notifyUrl, "https://example.com/hook");
      assert.equal(await store.updateProfile("acc-1", profile({ profileId: "nope" })), false);
      assert.ok(
        await store.updateProfile("acc-1", profile({ notifyUrl: "https://changed/x", authId: "auth-1" }), {
          security: { authId: "auth-1", credentials: basic() },
        }),
      );
      const now = await store.subscriptionsOf("acc-1");
      assert.deepEqual(now.profiles, [profile({ notifyUrl: "https://changed/x", authId: "auth-1" })]);
      assert.deepEqual(now.security, { "auth-1": basic() });

      await store.createSubscription("acc-1", subscription(), {});
      assert.equal(await store.deleteProfile("acc-1", "prof-1"), "in-use");
      assert.equal(await store.deleteProfile("acc-1", "nope"), "missing");
      await store.deleteSubscription("acc-1", "WHATSAPP", "sub-1");
      assert.equal(await store.deleteProfile("acc-1", "prof-1"), "deleted");
      assert.deepEqual((await store.subscriptionsOf("acc-1")).profiles, []);
    });

    it("security settings: created once, changed, deleted only when no profile uses them", async () => {
      const store = storage.subscriptions;
      assert.ok(await store.createSecurity("acc-1", "auth-1", basic()));
      assert.equal(await store.createSecurity("acc-1", "auth-1", basic("other")), false);
      assert.equal(await store.updateSecurity("acc-1", "nope", basic()), false);
      assert.ok(await store.updateSecurity("acc-1", "auth-1", basic("pw-2")));
      assert.deepEqual((await store.subscriptionsOf("acc-1")).security, { "auth-1": basic("pw-2") });

      await store.createProfile("acc-1", profile({ authId: "auth-1" }));
      assert.equal(await store.deleteSecurity("acc-1", "auth-1"), "in-use");
      assert.equal(await store.deleteSecurity("acc-1", "nope"), "missing");
      await store.updateProfile("acc-1", profile());
      assert.equal(await store.deleteSecurity("acc-1", "auth-1"), "deleted");
      assert.deepEqual((await store.subscriptionsOf("acc-1")).security, {});
    });

    it("an account sees none of another's; deleting an account's deletes only its own", async () => {
      const store = storage.subscriptions;
      const along = { profile: profile({ authId: "a" }), security: { authId: "a", credentials: basic() } };
      await store.createSubscription("acc-1", subscription(), { secret: "whsec_1" }, along);
      await store.createSubscription("acc-2", subscription({ subscriptionId: "sub-2" }), {}, along);
      assert.deepEqual(
        (await store.subscriptionsOf("acc-2")).subscriptions.map((s) => s.subscriptionId),
        ["sub-2"],
      );
      assert.equal(await store.deleteProfile("acc-2", "prof-1"), "in-use", "acc-2's own subscription");
      await store.deleteAccountSubscriptions("acc-2");
      assert.deepEqual(await store.subscriptionsOf("acc-2"), {
        subscriptions: [],
        profiles: [],
        security: {},
        signing: {},
      });
      assert.equal((await store.subscriptionsOf("acc-1")).subscriptions.length, 1);
      assert.deepEqual((await store.subscriptionsOf("acc-1")).security, { a: basic() });
    });

    it("two subscriptions created at once on one account are both kept, with their profiles", async () => {
      const store = storage.subscriptions;
      await store.subscriptionsOf("acc-1"); // cached before the changes: they must drop it
      const made = await Promise.all(
        ["one", "two", "three"].map((id) =>
          store.createSubscription(
            "acc-1",
            subscription({ subscriptionId: id, profileId: `p-${id}` }),
            { secret: `whsec_${id}` },
            { profile: profile({ profileId: `p-${id}` }) },
          ),
        ),
      );
      assert.deepEqual(made, [true, true, true]);
      const now = await store.subscriptionsOf("acc-1");
      assert.deepEqual(now.subscriptions.map((s) => s.subscriptionId).sort(), ["one", "three", "two"]);
      assert.deepEqual(now.profiles.map((p) => p.profileId).sort(), ["p-one", "p-three", "p-two"]);
      assert.deepEqual(Object.keys(now.signing).sort(), ["one", "three", "two"]);
    });

    it("a subscription and a security setting changed at once on one account are both kept", async () => {
      const store = storage.subscriptions;
      await store.createSubscription("acc-1", subscription(), {}, { profile: profile() });
      await store.createSecurity("acc-1", "auth-1", basic());
      await store.subscriptionsOf("acc-1");
      const changed = subscription({ events: ["CLICK"] });
      await Promise.all([
        store.updateSubscription("acc-1", changed),
        store.updateSecurity("acc-1", "auth-1", basic("pw-2")),
        store.createSubscription("acc-1", subscription({ subscriptionId: "sub-2" }), {}),
      ]);
      const now = await store.subscriptionsOf("acc-1");
      assert.deepEqual(now.subscriptions, [changed, subscription({ subscriptionId: "sub-2" })]);
      assert.deepEqual(now.security, { "auth-1": basic("pw-2") });
    });
  });
}

/**
 * An account's settings as the release before the SubscriptionStore kept its subscriptions: JSON
 * lists inside the Infobip settings, per-subscription secrets among the signing settings. The
 * migration tests store these, migrate, and expect `MIGRATED` and `SETTINGS_AFTER`.
 */
export const SETTINGS_BEFORE = {
  infobip: {
    deliveryUrl: "http://dlr",
    subscriptions: JSON.stringify([
      subscription({ subscriptionId: "z-first", name: "first", criteria: [{ applicationId: "app-1" }] }),
      subscription({ subscriptionId: "a-second", events: ["TEMPLATE_UPDATE"], profileId: "prof-2" }),
    ]),
    profiles: JSON.stringify([profile({ authId: "auth-1" }), profile({ profileId: "prof-2" })]),
    securitySecrets: JSON.stringify({ "auth-1": basic() }),
  },
  webhookSigning: {
    secret: "whsec_account",
    "subscription.z-first.secret": "whsec_first",
    "subscription.z-first.previousSecret": "whsec_before",
    "subscription.z-first.previousUntil": String(T0),
    "subscription.a-second.secret": "whsec_second",
  },
};

export const MIGRATED = {
  subscriptions: [
    subscription({ subscriptionId: "z-first", name: "first", criteria: [{ applicationId: "app-1" }] }),
    subscription({ subscriptionId: "a-second", events: ["TEMPLATE_UPDATE"], profileId: "prof-2" }),
  ],
  profiles: [profile({ authId: "auth-1" }), profile({ profileId: "prof-2" })],
  security: { "auth-1": basic() },
  signing: {
    "z-first": { secret: "whsec_first", previous: "whsec_before", previousUntil: T0 },
    "a-second": { secret: "whsec_second" },
  },
};

export const SETTINGS_AFTER = {
  infobip: { deliveryUrl: "http://dlr" },
  webhookSigning: { secret: "whsec_account" },
};
