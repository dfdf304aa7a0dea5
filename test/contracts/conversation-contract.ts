/** The ConversationStore contract: inbound messages stored once, the window they open, counts per pair. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Storage } from "../../src/store/storage.ts";
import { inbound, type StorageFactory, T0, testPlan, webhook } from "./fixtures.ts";

export function defineConversationContract(name: string, factory: StorageFactory): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
    });
    afterEach(() => storage.close());

    it("an inbound message opens the pair's window and queues its webhooks", async () => {
      assert.equal(await storage.conversations.lastInboundAt("441134960000", "447700900001"), undefined);
      assert.equal(
        await storage.conversations.recordInbound(inbound({ receivedAt: T0 + 7 }), [webhook("in-1")]),
        true,
      );
      assert.equal(await storage.conversations.lastInboundAt("441134960000", "447700900001"), T0 + 7);
      assert.equal(await storage.conversations.lastInboundAt("441134960000", "447700900002"), undefined);
      assert.deepEqual(
        (await storage.outbox.claim(T0, 10, T0 + 1000)).map((w) => w.id),
        ["in-1"],
      );
    });

    it("a message id already stored is a repeat: false, nothing queued, the window unchanged", async () => {
      await storage.conversations.recordInbound(inbound({ messageId: "wamid.1", receivedAt: T0 }), []);
      assert.equal(
        await storage.conversations.recordInbound(inbound({ messageId: "wamid.1", receivedAt: T0 + 50 }), [
          webhook("again"),
        ]),
        false,
      );
      assert.equal(await storage.conversations.lastInboundAt("441134960000", "447700900001"), T0);
      assert.deepEqual(await storage.outbox.claim(T0 + 100, 10, T0 + 1000), []);
    });

    it("the window keeps the latest message: an older one arriving late does not move it back", async () => {
      await storage.conversations.recordInbound(inbound({ receivedAt: T0 + 100 }), []);
      await storage.conversations.recordInbound(inbound({ receivedAt: T0 + 10 }), []);
      assert.equal(await storage.conversations.lastInboundAt("441134960000", "447700900001"), T0 + 100);
    });

    it("finds an inbound message by id, and lists a user's messages to every sender, oldest first", async () => {
      const quoted = inbound({
        messageId: "wamid.q",
        receivedAt: T0 + 5,
        contactName: "Ann",
        quote: { messageId: "ob-1" },
      });
      const first = inbound({
        messageId: "wamid.f",
        to: "441134960001",
        receivedAt: T0,
        content: { type: "location", latitude: 1.5, longitude: -2 },
      });
      await storage.conversations.recordInbound(quoted, []);
      await storage.conversations.recordInbound(first, []);
      await storage.conversations.recordInbound(inbound({ messageId: "wamid.o", from: "447700900002" }), []);
      assert.deepEqual(await storage.conversations.findInbound("wamid.q"), quoted);
      assert.deepEqual(await storage.conversations.findInbound("wamid.f"), first);
      assert.equal(await storage.conversations.findInbound("wamid.none"), undefined);
      assert.deepEqual(await storage.conversations.listInboundFrom("447700900001"), [first, quoted]);
      assert.deepEqual(await storage.conversations.listInboundFrom("447700900009"), []);
    });

    it("counts what a user sent to a sender", async () => {
      assert.equal(await storage.conversations.inboundCount("441134960000", "447700900001"), 0);
      await storage.conversations.recordInbound(inbound(), []);
      await storage.conversations.recordInbound(inbound(), []);
      await storage.conversations.recordInbound(inbound({ from: "447700900002" }), []);
      assert.equal(await storage.conversations.inboundCount("441134960000", "447700900001"), 2);
      assert.equal(await storage.conversations.inboundCount("441134960000", "447700900002"), 1);
    });
    it("reads an inbound message back by id: its content, contact name and quote (matched or not)", async () => {
      const quoted = inbound({
        messageId: "wamid.q1",
        receivedAt: T0 + 3,
        content: { type: "reaction", messageId: "m-1", emoji: "👍" },
        contactName: "Ann",
        quote: { messageId: "m-1", from: "441134960000" },
      });
      const unmatched = inbound({ messageId: "wamid.q2", quote: { messageId: "m-old" } });
      const plain = inbound({ messageId: "wamid.q3" });
      for (const m of [quoted, unmatched, plain]) await storage.conversations.recordInbound(m, []);
      assert.deepEqual(await storage.conversations.findInbound("wamid.q1"), quoted);
      assert.deepEqual(await storage.conversations.findInbound("wamid.q2"), unmatched);
      assert.deepEqual(await storage.conversations.findInbound("wamid.q3"), plain);
      assert.equal(await storage.conversations.findInbound("wamid.none"), undefined);
    });
  });
}
