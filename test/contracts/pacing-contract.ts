/**
 * The pacing part of the MessageStore contract: `claim` sends each sender's messages at its
 * throughput tier (one slot every 1000 / tier ms, in order), slots taken once and kept in the
 * store, so claims made at once (several nodes) share one pace; a message that would go out past
 * its TTL waits for the expiry sweep instead.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { NewMessage } from "../../src/core/new-message.ts";
import type { Storage } from "../../src/store/storage.ts";
import { account, message, type StorageFactory, sender, T0, testPlan } from "./fixtures.ts";

const PACED = "441134960010";
const UNPACED = "441134960011";

export function definePacingContract(name: string, factory: StorageFactory): void {
  describe(`MessageStore pacing contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
      await storage.catalog.upsertAccount(account());
      await storage.catalog.upsertSender(sender({ number: PACED, aliases: {}, throughputMps: 10 }));
      await storage.catalog.upsertSender(sender({ number: UNPACED, aliases: {}, throughputMps: 0 }));
    });
    afterEach(() => storage.close());

    const insert = async (from: string, ids: string[], over: Partial<NewMessage> = {}) => {
      await storage.messages.insert(ids.map((messageId) => message({ messageId, from, ...over })));
    };
    const claimIds = async (now: number) =>
      (await storage.messages.claim(now, 100, now + 60_000)).map((m) => m.messageId).sort();

    it("sends a sender's messages one slot apart at its tier, in order; the waiting ones stay accepted", async () => {
      await insert(PACED, ["p1", "p2", "p3"]);
      assert.deepEqual(await claimIds(T0), ["p1"]);
      assert.deepEqual(await claimIds(T0), [], "p2's slot is 100 ms later");
      assert.deepEqual(await claimIds(T0 + 99), []);
      assert.equal((await storage.messages.get("acc-1", "p3"))?.status, "accepted");
      assert.deepEqual(await claimIds(T0 + 100), ["p2"]);
      assert.deepEqual(await claimIds(T0 + 150), []);
      assert.deepEqual(await claimIds(T0 + 200), ["p3"]);
    });

    it("a late claim gets every slot that has come, still in order; an idle sender earns no burst", async () => {
      await insert(PACED, ["l1", "l2", "l3", "l4"]);
      assert.deepEqual(await claimIds(T0), ["l1"]);
      assert.deepEqual(await claimIds(T0 + 250), ["l2", "l3"]);
      assert.deepEqual(await claimIds(T0 + 10_000), ["l4"]);
      await insert(PACED, ["l5", "l6"], { acceptedAt: T0 + 20_000 });
      assert.deepEqual(await claimIds(T0 + 20_000), ["l5"], "ten idle seconds are not ten seconds of credit");
    });

    it("paces senders apart, and leaves an unpaced sender (tier 0) alone", async () => {
      await insert(PACED, ["a1", "a2"]);
      await insert(UNPACED, ["u1", "u2", "u3"]);
      assert.deepEqual(await claimIds(T0), ["a1", "u1", "u2", "u3"]);
    });

    it("a message keeps its slot: put back by the carrier, it is claimed again without waiting for another", async () => {
      await insert(PACED, ["r1", "r2"]);
      const [r1] = await storage.messages.claim(T0, 100, T0 + 60_000);
      assert.ok(r1);
      await storage.messages.reschedule([{ seq: r1.seq, nextAttemptAt: T0 + 50 }]);
      assert.deepEqual(await claimIds(T0 + 50), ["r1"], "r2 holds the next slot, at T0 + 100");
      assert.deepEqual(await claimIds(T0 + 100), ["r2"]);
    });

    it("a message whose slot would come at or after its TTL takes none, and is left to expire", async () => {
      await storage.catalog.upsertSender(sender({ number: PACED, aliases: {}, throughputMps: 1 }));
      await insert(PACED, ["t1"]);
      await insert(PACED, ["t2"], { expiresAt: T0 + 500 });
      await insert(PACED, ["t3"]);
      assert.deepEqual(await claimIds(T0), ["t1"]);
      assert.deepEqual(await claimIds(T0 + 500), []);
      const t2 = await storage.messages.get("acc-1", "t2");
      assert.deepEqual(await storage.messages.overdue(T0 + 500, 10), [t2?.seq]);
      assert.deepEqual(await claimIds(T0 + 1000), ["t3"], "t3 has the slot t2 did not take");
    });

    it("claims made at once, as several nodes would, share the sender's one pace", async () => {
      await insert(PACED, ["n1", "n2", "n3"]);
      const both = await Promise.all([claimIds(T0), claimIds(T0), claimIds(T0)]);
      assert.deepEqual(both.flat(), ["n1"]);
      assert.deepEqual(await claimIds(T0 + 100), ["n2"]);
    });
  });
}
