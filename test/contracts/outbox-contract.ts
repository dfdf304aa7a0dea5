/** The OutboxStore contract: webhooks queued by other writes, leased, delivered, retried, given up on, counted. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { NewWebhook } from "../../src/core/webhook.ts";
import type { Storage } from "../../src/store/storage.ts";
import { inbound, type StorageFactory, T0, testPlan, webhook } from "./fixtures.ts";

export function defineOutboxContract(name: string, factory: StorageFactory): void {
  describe(`OutboxStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
    });
    afterEach(() => storage.close());

    /** Webhooks are queued with the change they report; an inbound message is the simplest such change. */
    const queue = (...hooks: NewWebhook[]) => storage.conversations.recordInbound(inbound(), hooks);

    it("claims the oldest due webhooks up to a limit, with their headers and no attempts yet", async () => {
      await queue(
        webhook("b", { createdAt: T0 + 10, headers: { "x-sig": "abc" }, reports: 3 }),
        webhook("a", { createdAt: T0 }),
        webhook("c", { createdAt: T0 + 20 }),
      );
      assert.deepEqual(await storage.outbox.claim(T0 - 1, 10, T0 + 1000), [], "not due before it was made");
      // Which ones are claimed is the contract; the order they come back in is not.
      const got = (await storage.outbox.claim(T0 + 20, 2, T0 + 1000)).sort((x, y) =>
        x.id.localeCompare(y.id),
      );
      assert.deepEqual(got, [
        { ...webhook("a", { createdAt: T0 }), attempts: 0 },
        { ...webhook("b", { createdAt: T0 + 10, headers: { "x-sig": "abc" }, reports: 3 }), attempts: 0 },
      ]);
    });

    it("a leased webhook is not claimed again until its lease runs out", async () => {
      await queue(webhook("a"));
      assert.equal((await storage.outbox.claim(T0, 10, T0 + 1000)).length, 1);
      assert.deepEqual(await storage.outbox.claim(T0 + 999, 10, T0 + 2000), []);
      assert.deepEqual(
        (await storage.outbox.claim(T0 + 1000, 10, T0 + 2000)).map((w) => w.id),
        ["a"],
      );
    });

    it("an id already queued is not queued twice", async () => {
      await queue(webhook("a"));
      await queue(webhook("a", { body: "other" }));
      const got = await storage.outbox.claim(T0, 10, T0 + 1000);
      assert.deepEqual(
        got.map((w) => w.body),
        [webhook("a").body],
      );
    });

    it("delivered webhooks are done: never claimed again, counted by their reports", async () => {
      await queue(webhook("a", { reports: 2 }), webhook("b"));
      await storage.outbox.claim(T0, 10, T0 + 1000);
      await storage.outbox.delivered(["a", "b"], T0 + 5);
      assert.deepEqual(await storage.outbox.claim(T0 + 5000, 10, T0 + 6000), []);
      assert.deepEqual(await storage.outbox.counts(), { pending: 0, delivered: 3, failed: 0 });
    });

    it("a retry gives the lease back, records the attempts and waits until the next attempt", async () => {
      await queue(webhook("a"));
      await storage.outbox.claim(T0, 10, T0 + 30_000);
      await storage.outbox.retry("a", 1, T0 + 500, "HTTP 503");
      assert.deepEqual(await storage.outbox.claim(T0 + 499, 10, T0 + 30_000), []);
      const [again] = await storage.outbox.claim(T0 + 500, 10, T0 + 30_000);
      assert.equal(again?.attempts, 1);
      assert.deepEqual(await storage.outbox.counts(), { pending: 1, delivered: 0, failed: 0 });
    });

    it("a failed webhook is final and counted as failed", async () => {
      await queue(webhook("a", { reports: 4 }), webhook("b"));
      await storage.outbox.claim(T0, 10, T0 + 1000);
      await storage.outbox.failed("a", 12, "gave up");
      assert.deepEqual(
        (await storage.outbox.claim(T0 + 5000, 10, T0 + 6000)).map((w) => w.id),
        ["b"],
      );
      assert.deepEqual(await storage.outbox.counts(), { pending: 1, delivered: 0, failed: 4 });
    });

    it("releaseAllLeases frees leased webhooks", async () => {
      await queue(webhook("a"));
      await storage.outbox.claim(T0, 10, T0 + 30_000);
      await storage.releaseAllLeases();
      assert.deepEqual(
        (await storage.outbox.claim(T0, 10, T0 + 30_000)).map((w) => w.id),
        ["a"],
      );
    });
  });
}
