/** The MessageLogStore contract: an account's messages newest first, filtered and paged; charts' counts. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Storage } from "../../src/store/storage.ts";
import { account, message, type StorageFactory, sender, T0, testPlan, webhook } from "./fixtures.ts";

export function defineMessageLogContract(name: string, factory: StorageFactory): void {
  describe(`MessageLogStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
      await storage.catalog.upsertAccount(account());
      await storage.catalog.upsertAccount(account({ id: "acc-2", secret: "key-2" }));
      await storage.catalog.upsertSender(sender());
    });
    afterEach(() => storage.close());

    const ids = (page: { messages: { messageId: string }[] }) => page.messages.map((m) => m.messageId);

    it("lists an account's messages newest first, pages by seq, and counts what matches on the first page", async () => {
      await storage.messages.insert([
        message({ messageId: "a", acceptedAt: T0 }),
        message({ messageId: "b", acceptedAt: T0 + 1 }),
        message({ messageId: "c", acceptedAt: T0 + 2 }),
        message({ messageId: "other", accountId: "acc-2" }),
      ]);
      const first = await storage.messageLog.list({ accountId: "acc-1", limit: 2 });
      assert.deepEqual(ids(first), ["c", "b"]);
      assert.equal(first.total, 3);
      const last = first.messages[1]?.seq as number;
      const second = await storage.messageLog.list({ accountId: "acc-1", limit: 2, beforeSeq: last });
      assert.deepEqual(ids(second), ["a"]);
      assert.equal(second.total, undefined, "later pages are not counted again");
      const newer = await storage.messageLog.list({ accountId: "acc-1", limit: 10, afterSeq: last });
      assert.deepEqual(ids(newer), ["c"]);
    });

    it("filters by sender, recipient, face, status and accepted time", async () => {
      await storage.messages.insert([
        message({ messageId: "a", acceptedAt: T0, face: "x" }),
        message({ messageId: "b", acceptedAt: T0 + 10, to: "447700900002" as never }),
        message({ messageId: "c", acceptedAt: T0 + 20, from: "441134960009" }),
      ]);
      const seqOfA = (await storage.messages.get("acc-1", "a"))?.seq as number;
      await storage.messages.applyEvents([{ seq: seqOfA, event: { kind: "sent", at: T0 + 1 } }]);
      const list = (f: Record<string, unknown>) =>
        storage.messageLog.list({ accountId: "acc-1", limit: 10, ...f }).then(ids);
      assert.deepEqual(await list({ face: "x" }), ["a"]);
      assert.deepEqual(await list({ recipient: "447700900002" }), ["b"]);
      assert.deepEqual(await list({ sender: "441134960009" }), ["c"]);
      assert.deepEqual(await list({ status: "sent" }), ["a"]);
      assert.deepEqual(await list({ status: "accepted" }), ["c", "b"]);
      assert.deepEqual(await list({ since: T0 + 10 }), ["c", "b"]);
      assert.deepEqual(await list({ since: T0 + 10, until: T0 + 20 }), ["b"]);
      const page = await storage.messageLog.list({ accountId: "acc-1", limit: 1, status: "accepted" });
      assert.equal(page.total, 2);
    });

    it("counts messages per time bucket by status, leaving out empty buckets and other accounts", async () => {
      await storage.messages.insert([
        message({ messageId: "a", acceptedAt: T0 }),
        message({ messageId: "b", acceptedAt: T0 + 59_999 }),
        message({ messageId: "c", acceptedAt: T0 + 180_000 }),
        message({ messageId: "d", acceptedAt: T0, accountId: "acc-2" }),
      ]);
      const seqOfA = (await storage.messages.get("acc-1", "a"))?.seq as number;
      await storage.messages.applyEvents([{ seq: seqOfA, event: { kind: "sent", at: T0 + 1 } }]);
      assert.deepEqual(await storage.messageLog.buckets("acc-1", T0, T0 + 240_000, 60_000), [
        { at: T0, counts: { sent: 1, accepted: 1 } },
        { at: T0 + 180_000, counts: { accepted: 1 } },
      ]);
    });

    it("totals an account's webhooks since a time, with the delivered ones' latency", async () => {
      await storage.catalog.insertTemplate(
        {
          id: "t",
          wabaId: "waba-1",
          name: "n",
          language: "en",
          category: "UTILITY",
          structure: { body: { text: "x" }, buttons: [] },
          status: "APPROVED",
          createdAt: T0,
          updatedAt: T0,
        },
        [
          webhook("w1", { createdAt: T0 }),
          webhook("w2", { createdAt: T0 + 10 }),
          webhook("w3", { createdAt: T0 + 20 }),
          webhook("old", { createdAt: T0 - 1000 }),
          webhook("theirs", { accountId: "acc-2", createdAt: T0 }),
        ],
      );
      await storage.outbox.claim(T0 + 100, 10, T0 + 200);
      await storage.outbox.delivered(["w1"], T0 + 100);
      await storage.outbox.delivered(["w2"], T0 + 50);
      await storage.outbox.failed("w3", 1, "HTTP 400");
      assert.deepEqual(await storage.messageLog.webhookTotals("acc-1", T0), {
        pending: 0,
        delivered: 2,
        failed: 1,
        meanLatencyMs: 70,
        maxLatencyMs: 100,
      });
      assert.deepEqual(await storage.messageLog.webhookTotals("acc-2", T0 + 1), {
        pending: 0,
        delivered: 0,
        failed: 0,
      });
    });
  });
}
