/**
 * The WebhookLogStore contract: attempts kept and listed by message, subscription, event, account
 * and time; endpoint health (a failure streak, cleared by a success); disabling keeps the
 * endpoint's webhooks as dead letters and enabling queues them again; replays keep the event id.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { NewWebhook } from "../../src/core/webhook.ts";
import type { WebhookAttempt } from "../../src/core/webhook-attempt.ts";
import type { Storage } from "../../src/store/storage.ts";
import { inbound, type StorageFactory, T0, testPlan, webhook } from "./fixtures.ts";

const URL_A = "http://127.0.0.1:9/a";

const attempt = (eventId: string, over: Partial<WebhookAttempt> = {}): WebhookAttempt => ({
  eventId,
  accountId: "acc-1",
  url: URL_A,
  at: T0,
  requestBytes: 10,
  latencyMs: 3,
  ok: true,
  status: 200,
  responseHead: "{}",
  ...over,
});

export function defineWebhookLogContract(name: string, factory: StorageFactory): void {
  describe(`WebhookLogStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
    });
    afterEach(() => storage.close());

    const queue = (...hooks: NewWebhook[]) => storage.conversations.recordInbound(inbound(), hooks);

    it("lists attempts newest first, by event, message, subscription, account and time", async () => {
      await queue(
        webhook("e1", { url: URL_A, messageIds: ["m1", "m2"], subscriptionId: "sub-1" }),
        webhook("e2", { url: URL_A, messageIds: ["m3"] }),
      );
      await storage.webhookLog.recordAttempts([
        attempt("e1", { at: T0, ok: false, status: 503, error: "HTTP 503" }),
        attempt("e1", { at: T0 + 10 }),
        attempt("e2", { at: T0 + 20, accountId: "acc-2" }),
      ]);
      const all = await storage.webhookLog.listAttempts({ limit: 10 });
      assert.deepEqual(
        all.map((a) => [a.eventId, a.at]),
        [
          ["e2", T0 + 20],
          ["e1", T0 + 10],
          ["e1", T0],
        ],
      );
      const first = all[2];
      assert.equal(first?.status, 503);
      assert.equal(first?.error, "HTTP 503");
      assert.equal(first?.ok, false);
      assert.deepEqual(first?.messageIds, ["m1", "m2"]);
      assert.equal(first?.subscriptionId, "sub-1");
      const by = async (f: object) =>
        (await storage.webhookLog.listAttempts({ limit: 10, ...f })).map((a) => a.at);
      assert.deepEqual(await by({ messageId: "m2" }), [T0 + 10, T0]);
      assert.deepEqual(await by({ messageId: "m3" }), [T0 + 20]);
      assert.deepEqual(await by({ subscriptionId: "sub-1" }), [T0 + 10, T0]);
      assert.deepEqual(await by({ eventId: "e2" }), [T0 + 20]);
      assert.deepEqual(await by({ accountId: "acc-2" }), [T0 + 20]);
      assert.deepEqual(await by({ from: T0 + 10, to: T0 + 20 }), [T0 + 10]);
      assert.deepEqual(await by({ limit: 1 }), [T0 + 20]);
      assert.deepEqual(await by({ beforeSeq: all[1]?.seq }), [T0]);
    });

    it("an endpoint's failure streak starts at its first failure and a success clears it", async () => {
      const f1 = await storage.webhookLog.recordAttempts([attempt("e1", { ok: false, at: T0 })]);
      assert.deepEqual(f1, [{ accountId: "acc-1", url: URL_A, failingSince: T0 }]);
      const f2 = await storage.webhookLog.recordAttempts([attempt("e1", { ok: false, at: T0 + 50 })]);
      assert.deepEqual(f2, [{ accountId: "acc-1", url: URL_A, failingSince: T0 }], "since the first");
      assert.deepEqual(await storage.webhookLog.recordAttempts([attempt("e1", { at: T0 + 60 })]), []);
      assert.equal((await storage.webhookLog.endpoints("acc-1"))[0]?.failingSince, undefined);
      const f3 = await storage.webhookLog.recordAttempts([attempt("e1", { ok: false, at: T0 + 70 })]);
      assert.equal(f3[0]?.failingSince, T0 + 70);
    });

    it("disabling keeps the endpoint's webhooks as dead letters, unclaimed; enabling queues them once", async () => {
      await queue(
        webhook("e1", { url: URL_A }),
        webhook("e2", { url: URL_A }),
        webhook("o", { url: "http://x/other" }),
      );
      await storage.outbox.claim(T0, 10, T0 + 100);
      await storage.outbox.failed("e1", 3, "gave up");
      await storage.outbox.retry("e2", 1, T0 + 10, "HTTP 503");
      await storage.outbox.delivered(["o"], T0);
      await storage.webhookLog.disableEndpoint("acc-1", URL_A, T0 + 20);
      assert.deepEqual(await storage.outbox.claim(T0 + 1000, 10, T0 + 2000), [], "nothing for it is sent");
      await queue(webhook("e3", { url: URL_A, createdAt: T0 + 30 }));
      assert.deepEqual(await storage.outbox.claim(T0 + 1000, 10, T0 + 2000), [], "not even new ones");
      const [endpoint] = await storage.webhookLog.endpoints("acc-1");
      assert.equal(endpoint?.disabledAt, T0 + 20);
      assert.equal(endpoint?.deadLetters, 2);
      assert.equal((await storage.webhookLog.getWebhook("e1"))?.state, "dead");

      assert.equal(await storage.webhookLog.enableEndpoint("acc-1", URL_A, T0 + 3000), 3);
      assert.equal(await storage.webhookLog.enableEndpoint("acc-1", URL_A, T0 + 3000), 0, "not disabled now");
      const claimed = await storage.outbox.claim(T0 + 3000, 10, T0 + 4000);
      assert.deepEqual(claimed.map((w) => w.id).sort(), ["e1", "e2", "e3"]);
      assert.ok(claimed.every((w) => w.attempts === 0));
      assert.equal((await storage.webhookLog.endpoints("acc-1"))[0]?.disabledAt, undefined);
    });

    it("disabling queues the account's notices with it, once; a webhook keeps its subscription", async () => {
      const notice = (id: string) => webhook(id, { url: "http://x/events", subscriptionId: "events" });
      assert.equal(await storage.webhookLog.disableEndpoint("acc-1", URL_A, T0 + 20, [notice("n1")]), true);
      assert.equal(
        await storage.webhookLog.disableEndpoint("acc-1", URL_A, T0 + 30, [notice("n2")]),
        false,
        "disabled already: nothing more is told",
      );
      const claimed = await storage.outbox.claim(T0 + 1000, 10, T0 + 2000);
      assert.deepEqual(
        claimed.map((w) => [w.id, w.subscriptionId]),
        [["n1", "events"]],
      );
      assert.equal((await storage.webhookLog.endpoints("acc-1"))[0]?.disabledAt, T0 + 20);
    });

    it("replays one event or a range under the same ids; an unknown event is false", async () => {
      await queue(
        webhook("e1", { createdAt: T0 }),
        webhook("e2", { createdAt: T0 + 10 }),
        webhook("e3", { createdAt: T0 + 20, accountId: "acc-2" }),
      );
      await storage.outbox.claim(T0 + 20, 10, T0 + 100);
      await storage.outbox.delivered(["e1", "e2", "e3"], T0 + 30);
      assert.equal(await storage.webhookLog.replay("nope", T0 + 40), false);
      assert.equal(await storage.webhookLog.replay("e1", T0 + 40), true);
      assert.deepEqual(
        (await storage.outbox.claim(T0 + 40, 10, T0 + 100)).map((w) => w.id),
        ["e1"],
      );
      assert.equal(
        await storage.webhookLog.replayRange({ from: T0, to: T0 + 30, accountId: "acc-1" }, T0 + 50),
        1,
      );
      assert.deepEqual(
        (await storage.outbox.claim(T0 + 50, 10, T0 + 200)).map((w) => w.id),
        ["e2"],
        "e1 is under way (leased), e3 another account's",
      );
      assert.equal(
        await storage.webhookLog.replayRange({ from: T0, to: T0 + 30 }, T0 + 60),
        1,
        "of every account, only the finished: e3 (e1 and e2 are under way)",
      );
    });

    it("prunes attempts and delivered webhooks older than the retention", async () => {
      await queue(webhook("old", { createdAt: T0 }), webhook("new", { createdAt: T0 + 100 }));
      await storage.outbox.claim(T0 + 100, 10, T0 + 200);
      await storage.outbox.delivered(["old", "new"], T0 + 100);
      await storage.webhookLog.recordAttempts([attempt("old", { at: T0 }), attempt("new", { at: T0 + 100 })]);
      assert.equal(await storage.webhookLog.prune(T0 + 50), 1);
      assert.deepEqual(
        (await storage.webhookLog.listAttempts({ limit: 10 })).map((a) => a.eventId),
        ["new"],
      );
      assert.equal(await storage.webhookLog.getWebhook("old"), undefined);
      assert.equal((await storage.webhookLog.getWebhook("new"))?.state, "delivered");
    });
  });
}
