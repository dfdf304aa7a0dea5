/** The CatalogStore contract: accounts with per-dialect settings, senders with aliases, templates and name locks. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Storage } from "../../src/store/storage.ts";
import { account, type StorageFactory, sender, T0, template, testPlan, webhook } from "./fixtures.ts";

export function defineCatalogContract(name: string, factory: StorageFactory): void {
  describe(`CatalogStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
    });
    afterEach(() => storage.close());

    it("stores an account and finds it by id; unknown ones are undefined", async () => {
      await storage.catalog.upsertAccount(account());
      assert.deepEqual(await storage.catalog.getAccount("acc-1"), account());
      assert.equal(await storage.catalog.getAccount("nope"), undefined);
    });

    it("an upsert renames the account and changes its secret and keeps its settings", async () => {
      await storage.catalog.upsertAccount(account({ settings: { a: { url: "http://a" } } }));
      await storage.catalog.upsertAccount(
        account({ name: "renamed", secret: "secret-2", businessVerified: true }),
      );
      const got = await storage.catalog.getAccount("acc-1");
      assert.deepEqual(
        got,
        account({
          name: "renamed",
          secret: "secret-2",
          businessVerified: true,
          settings: { a: { url: "http://a" } },
        }),
      );
    });

    it("lists accounts by id and deletes one with its senders (aliases freed), leaving the others", async () => {
      await storage.catalog.upsertAccount(account({ id: "acc-2", name: "two", secret: "secret-2" }));
      await storage.catalog.upsertAccount(account());
      await storage.catalog.upsertSender(sender());
      await storage.catalog.upsertSender(sender({ number: "441134960002", accountId: "acc-2", aliases: {} }));
      assert.deepEqual(
        (await storage.catalog.listAccounts()).map((a) => a.id),
        ["acc-1", "acc-2"],
      );
      assert.equal(await storage.catalog.deleteAccount("acc-1"), true);
      assert.equal(await storage.catalog.deleteAccount("acc-1"), false);
      assert.equal(await storage.catalog.getAccount("acc-1"), undefined);
      assert.equal(await storage.catalog.findSender("441134960000"), undefined);
      assert.equal(await storage.catalog.findSenderByAlias("phoneId", "100000000000003"), undefined);
      assert.deepEqual(
        (await storage.catalog.listAccounts()).map((a) => a.id),
        ["acc-2"],
      );
      assert.equal((await storage.catalog.findSender("441134960002"))?.accountId, "acc-2");
    });

    it("lists an account's senders with their settings, and deletes one sender with its aliases", async () => {
      await storage.catalog.upsertSender(
        sender({ settings: { throughputTier: "TIER_1K", businessVerified: true, markAsRead: false } }),
      );
      await storage.catalog.upsertSender(sender({ number: "441134960001", aliases: { phoneId: "2" } }));
      await storage.catalog.upsertSender(sender({ number: "441134960002", accountId: "acc-2", aliases: {} }));
      const own = await storage.catalog.listAccountSenders("acc-1");
      assert.deepEqual(
        own.map((s) => s.number),
        ["441134960000", "441134960001"],
      );
      assert.deepEqual(own[0]?.settings, {
        throughputTier: "TIER_1K",
        businessVerified: true,
        markAsRead: false,
      });
      assert.equal(own[1]?.settings, undefined, "no settings: the field is absent");
      assert.equal(await storage.catalog.deleteSender("441134960001"), true);
      assert.equal(await storage.catalog.deleteSender("441134960001"), false);
      assert.equal(await storage.catalog.findSenderByAlias("phoneId", "2"), undefined);
      assert.deepEqual(
        (await storage.catalog.listAccountSenders("acc-1")).map((s) => s.number),
        ["441134960000"],
      );
    });

    it("changes one dialect's settings key by key: set, keep, remove with null; other dialects untouched", async () => {
      await storage.catalog.upsertAccount(account());
      await storage.catalog.updateAccountSettings("acc-1", "a", { url: "http://a", secret: "s" });
      await storage.catalog.updateAccountSettings("acc-1", "b", { callback: "http://b" });
      assert.deepEqual((await storage.catalog.getAccount("acc-1"))?.settings, {
        a: { url: "http://a", secret: "s" },
        b: { callback: "http://b" },
      });
      await storage.catalog.updateAccountSettings("acc-1", "a", { url: "http://a2" });
      await storage.catalog.updateAccountSettings("acc-1", "b", { callback: null });
      const got = await storage.catalog.getAccount("acc-1");
      assert.deepEqual(got?.settings?.a, { url: "http://a2", secret: "s" });
      assert.equal(got?.settings?.b?.callback, undefined);
    });

    it("stores senders with their aliases; finds them by number and by alias of a kind", async () => {
      await storage.catalog.upsertSender(sender());
      await storage.catalog.upsertSender(
        sender({ number: "441134960001", aliases: { phoneId: "100000000000004" } }),
      );
      assert.deepEqual(await storage.catalog.findSender("441134960000"), sender());
      assert.deepEqual(
        await storage.catalog.findSenderByAlias("phoneId", "100000000000004"),
        sender({ number: "441134960001", aliases: { phoneId: "100000000000004" } }),
      );
      assert.deepEqual(await storage.catalog.findSenderByAlias("botId", "bot-1"), sender());
      assert.equal(
        await storage.catalog.findSenderByAlias("botId", "100000000000004"),
        undefined,
        "an alias belongs to its kind",
      );
      assert.equal(await storage.catalog.findSender("999"), undefined);
    });

    it("an upsert replaces the sender's aliases: an alias it dropped finds nothing", async () => {
      await storage.catalog.upsertSender(sender());
      await storage.catalog.upsertSender(sender({ wabaId: "waba-2", aliases: { botId: "bot-2" } }));
      assert.equal(await storage.catalog.findSenderByAlias("botId", "bot-1"), undefined);
      assert.equal(await storage.catalog.findSenderByAlias("phoneId", "100000000000003"), undefined);
      assert.deepEqual(
        await storage.catalog.findSenderByAlias("botId", "bot-2"),
        sender({ wabaId: "waba-2", aliases: { botId: "bot-2" } }),
      );
    });

    it("keeps a sender's carrier with it, replaced by an upsert and gone when the upsert has none", async () => {
      const meta = {
        kind: "meta",
        baseUrl: "https://graph.example",
        version: "v23.0",
        phoneNumberId: "106540352242922",
        wabaId: "102290129340398",
        accessToken: "token-1",
        appSecret: "secret-1",
        verifyToken: "verify-1",
      } as const;
      await storage.catalog.upsertSender(sender({ carrier: meta }));
      assert.deepEqual(await storage.catalog.findSender("441134960000"), sender({ carrier: meta }));
      assert.deepEqual(
        await storage.catalog.findSenderByAlias("botId", "bot-1"),
        sender({ carrier: meta }),
        "found by alias with its carrier too",
      );
      await storage.catalog.upsertSender(sender({ number: "441134960007", aliases: {} }));
      assert.deepEqual(await storage.catalog.listCarriedSenders("meta"), [sender({ carrier: meta })]);
      await storage.catalog.upsertSender(sender({ carrier: { kind: "sandbox" } }));
      assert.deepEqual(await storage.catalog.listCarriedSenders("meta"), []);
      assert.deepEqual(
        await storage.catalog.findSender("441134960000"),
        sender({ carrier: { kind: "sandbox" } }),
      );
      await storage.catalog.upsertSender(sender());
      assert.deepEqual(await storage.catalog.findSender("441134960000"), sender());
    });

    it("refuses a sender whose alias another sender has, and keeps the first", async () => {
      await storage.catalog.upsertSender(sender());
      await assert.rejects(storage.catalog.upsertSender(sender({ number: "441134960009" })));
      assert.equal(await storage.catalog.findSender("441134960009"), undefined);
      assert.equal((await storage.catalog.findSenderByAlias("botId", "bot-1"))?.number, "441134960000");
    });

    it("keeps a sender's throughput tier, and changes it on upsert; a sender without one reads without one", async () => {
      await storage.catalog.upsertSender(sender({ throughputMps: 250 }));
      assert.equal((await storage.catalog.findSender("441134960000"))?.throughputMps, 250);
      await storage.catalog.upsertSender(sender({ throughputMps: 1000 }));
      assert.equal((await storage.catalog.findSenderByAlias("botId", "bot-1"))?.throughputMps, 1000);
      const { throughputMps: _, ...plain } = sender({ number: "441134960002", aliases: {} });
      await storage.catalog.upsertSender(plain);
      assert.deepEqual(await storage.catalog.findSender("441134960002"), plain);
    });

    it("keeps a template's custom time-to-live through insert and update, and drops it when removed", async () => {
      await storage.catalog.insertTemplate(template({ ttlSeconds: 300 }));
      assert.equal((await storage.catalog.findTemplateById("tpl-1"))?.ttlSeconds, 300);
      await storage.catalog.updateTemplate(template({ ttlSeconds: 43_200 }));
      assert.equal((await storage.catalog.getTemplate("waba-1", "tpl-1"))?.ttlSeconds, 43_200);
      await storage.catalog.updateTemplate(template());
      assert.deepEqual(await storage.catalog.findTemplateById("tpl-1"), template());
    });

    it("lists a WABA's senders by number", async () => {
      await storage.catalog.upsertSender(sender({ number: "2", aliases: {} }));
      await storage.catalog.upsertSender(sender({ number: "1", aliases: {} }));
      await storage.catalog.upsertSender(sender({ number: "3", wabaId: "other", aliases: {} }));
      assert.deepEqual(
        (await storage.catalog.listSenders("waba-1")).map((s) => s.number),
        ["1", "2"],
      );
      assert.deepEqual(await storage.catalog.listSenders("none"), []);
    });

    it("lists an account's senders by number, across its WABAs, and no other account's", async () => {
      await storage.catalog.upsertAccount(account());
      await storage.catalog.upsertAccount(account({ id: "acc-2", secret: "key-2" }));
      await storage.catalog.upsertSender(sender({ number: "2", aliases: {} }));
      await storage.catalog.upsertSender(sender({ number: "1", wabaId: "waba-2", aliases: {} }));
      await storage.catalog.upsertSender(sender({ number: "3", accountId: "acc-2", aliases: {} }));
      assert.deepEqual(
        (await storage.catalog.listAccountSenders("acc-1")).map((s) => s.number),
        ["1", "2"],
      );
      assert.deepEqual(await storage.catalog.listAccountSenders("none"), []);
    });

    it("inserts a template once per WABA, name and language, queueing its webhooks only when inserted", async () => {
      assert.equal(await storage.catalog.insertTemplate(template(), [webhook("tpl-created")]), true);
      assert.equal(
        await storage.catalog.insertTemplate(template({ id: "tpl-2" }), [webhook("tpl-again")]),
        false,
      );
      assert.equal(await storage.catalog.insertTemplate(template({ id: "tpl-3", language: "de" })), true);
      assert.equal(await storage.catalog.insertTemplate(template({ id: "tpl-4", wabaId: "waba-2" })), true);
      assert.deepEqual(await storage.catalog.findTemplateById("tpl-1"), template());
      assert.equal(await storage.catalog.findTemplateById("tpl-2"), undefined);
      const queued = await storage.outbox.claim(T0, 10, T0 + 1000);
      assert.deepEqual(
        queued.map((w) => w.id),
        ["tpl-created"],
      );
    });

    it("gets templates by WABA and id, lists them by name and language, finds every language of a name", async () => {
      await storage.catalog.insertTemplate(template({ id: "1", name: "b", language: "en" }));
      await storage.catalog.insertTemplate(template({ id: "2", name: "a", language: "fr" }));
      await storage.catalog.insertTemplate(template({ id: "3", name: "a", language: "de" }));
      await storage.catalog.insertTemplate(
        template({ id: "4", name: "a", language: "en", wabaId: "waba-2" }),
      );
      assert.equal((await storage.catalog.getTemplate("waba-1", "2"))?.name, "a");
      assert.equal(await storage.catalog.getTemplate("waba-2", "2"), undefined, "another WABA's template");
      assert.deepEqual(
        (await storage.catalog.listTemplates("waba-1")).map((t) => t.id),
        ["3", "2", "1"],
      );
      assert.deepEqual((await storage.catalog.findTemplatesByName("waba-1", "a")).map((t) => t.id).sort(), [
        "2",
        "3",
      ]);
    });

    it("replaces a template with its webhooks in one write", async () => {
      await storage.catalog.insertTemplate(template({ status: "PENDING", reviewDueAt: T0 }));
      const approved = template({
        status: "APPROVED",
        updatedAt: T0 + 5,
        entityId: "e",
        applicationId: "app",
      });
      await storage.catalog.updateTemplate(approved, [webhook("tpl-approved")]);
      assert.deepEqual(await storage.catalog.findTemplateById("tpl-1"), approved);
      assert.deepEqual(
        (await storage.outbox.claim(T0, 10, T0 + 1000)).map((w) => w.id),
        ["tpl-approved"],
      );
    });

    it("deletes every language of a name, then locks the name until the given time", async () => {
      await storage.catalog.insertTemplate(template({ id: "1" }));
      await storage.catalog.insertTemplate(template({ id: "2", language: "de" }));
      assert.equal(await storage.catalog.deleteTemplatesByName("waba-1", "welcome", T0 + 100), 2);
      assert.deepEqual(await storage.catalog.findTemplatesByName("waba-1", "welcome"), []);
      assert.equal(await storage.catalog.nameLockedUntil("waba-1", "welcome", T0), T0 + 100);
      assert.equal(
        await storage.catalog.nameLockedUntil("waba-1", "welcome", T0 + 100),
        undefined,
        "the lock has run out",
      );
      assert.equal(await storage.catalog.nameLockedUntil("waba-2", "welcome", T0), undefined);
      assert.equal(await storage.catalog.deleteTemplatesByName("waba-1", "welcome", T0 + 100), 0);
    });

    it("deletes one language by id and locks the name only once no language is left", async () => {
      await storage.catalog.insertTemplate(template({ id: "1" }));
      await storage.catalog.insertTemplate(template({ id: "2", language: "de" }));
      assert.equal(await storage.catalog.deleteTemplatesByName("waba-1", "welcome", T0 + 100, "2"), 1);
      assert.deepEqual(
        (await storage.catalog.findTemplatesByName("waba-1", "welcome")).map((t) => t.id),
        ["1"],
      );
      assert.equal(await storage.catalog.nameLockedUntil("waba-1", "welcome", T0), undefined);
      assert.equal(await storage.catalog.deleteTemplatesByName("waba-1", "welcome", T0 + 100, "1"), 1);
      assert.equal(await storage.catalog.nameLockedUntil("waba-1", "welcome", T0), T0 + 100);
    });

    it("lists PENDING templates whose review is due, up to a limit", async () => {
      await storage.catalog.insertTemplate(
        template({ id: "1", name: "a", status: "PENDING", reviewDueAt: T0 }),
      );
      await storage.catalog.insertTemplate(
        template({ id: "2", name: "b", status: "PENDING", reviewDueAt: T0 + 10 }),
      );
      await storage.catalog.insertTemplate(
        template({ id: "3", name: "c", status: "PENDING", reviewDueAt: T0 + 5 }),
      );
      await storage.catalog.insertTemplate(
        template({ id: "4", name: "d", status: "APPROVED", reviewDueAt: T0 }),
      );
      assert.deepEqual((await storage.catalog.pendingTemplatesDue(T0 + 5, 10)).map((t) => t.id).sort(), [
        "1",
        "3",
      ]);
      assert.equal((await storage.catalog.pendingTemplatesDue(T0 + 10, 2)).length, 2);
      assert.deepEqual(await storage.catalog.pendingTemplatesDue(T0 - 1, 10), []);
    });
  });
}
