/** The CarrierInboxStore contract: raw carrier posts kept, leased in order, retried, done, counted. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { NewCarrierPost } from "../../src/store/carrier-inbox-store.ts";
import type { Storage } from "../../src/store/storage.ts";
import { type StorageFactory, T0, testPlan } from "./fixtures.ts";

const post = (n: number, over: Partial<NewCarrierPost> = {}): NewCarrierPost => ({
  carrier: "meta",
  sender: "441134960000",
  body: `{"entry":[${n}]}`,
  publicBase: "http://127.0.0.1:8080",
  receivedAt: T0 + n,
  ...over,
});

export function defineCarrierInboxContract(name: string, factory: StorageFactory): void {
  describe(`CarrierInboxStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
    });
    afterEach(() => storage.close());

    it("keeps posts byte for byte and leases them oldest first, up to a limit, with no attempts yet", async () => {
      const body = '{"x":"caf\\u00e9 ☕","y" : 1}';
      await storage.carrierInbox.put(post(1, { body }));
      await storage.carrierInbox.put(post(2));
      await storage.carrierInbox.put(post(3));
      assert.equal(await storage.carrierInbox.pending(), 3);
      assert.deepEqual(await storage.carrierInbox.claim(T0, 10, T0 + 1000), [], "not due before it arrived");
      const got = await storage.carrierInbox.claim(T0 + 3, 2, T0 + 1000);
      assert.deepEqual(
        got.map(({ seq: _, ...p }) => p),
        [
          { ...post(1, { body }), attempts: 0 },
          { ...post(2), attempts: 0 },
        ],
      );
    });

    it("a leased post is not claimed again until its lease runs out", async () => {
      await storage.carrierInbox.put(post(1));
      assert.equal((await storage.carrierInbox.claim(T0 + 1, 10, T0 + 1000)).length, 1);
      assert.deepEqual(await storage.carrierInbox.claim(T0 + 999, 10, T0 + 2000), []);
      assert.equal((await storage.carrierInbox.claim(T0 + 1000, 10, T0 + 2000)).length, 1);
    });

    it("a post retried waits until its next attempt, counting the attempt", async () => {
      await storage.carrierInbox.put(post(1));
      const [p] = await storage.carrierInbox.claim(T0 + 1, 10, T0 + 1000);
      await storage.carrierInbox.retry((p as { seq: number }).seq, T0 + 500, "not yet");
      assert.deepEqual(await storage.carrierInbox.claim(T0 + 499, 10, T0 + 2000), []);
      const [again] = await storage.carrierInbox.claim(T0 + 500, 10, T0 + 2000);
      assert.equal(again?.attempts, 1);
    });

    it("a post done is never claimed again and no longer pending", async () => {
      await storage.carrierInbox.put(post(1));
      await storage.carrierInbox.put(post(2));
      const claimed = await storage.carrierInbox.claim(T0 + 2, 10, T0 + 1000);
      await storage.carrierInbox.done([(claimed[0] as { seq: number }).seq]);
      assert.equal(await storage.carrierInbox.pending(), 1);
      const later = await storage.carrierInbox.claim(T0 + 5000, 10, T0 + 6000);
      assert.deepEqual(
        later.map((p) => p.body),
        [post(2).body],
      );
    });

    it("releaseAllLeases frees leased posts", async () => {
      await storage.carrierInbox.put(post(1));
      await storage.carrierInbox.claim(T0 + 1, 10, T0 + 1000);
      await storage.releaseAllLeases();
      assert.equal((await storage.carrierInbox.claim(T0 + 2, 10, T0 + 1000)).length, 1);
    });
  });
}
