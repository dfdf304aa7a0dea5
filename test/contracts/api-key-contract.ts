/** The ApiKeyStore contract: keys by hash, per account, revoked for good. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { ApiKey } from "../../src/core/api-key.ts";
import { hashApiKey } from "../../src/store/api-key-store.ts";
import type { Storage } from "../../src/store/storage.ts";
import { type StorageFactory, T0, testPlan } from "./fixtures.ts";

const key = (over: Partial<ApiKey> = {}): ApiKey => ({
  id: "key-1",
  accountId: "acc-1",
  hash: hashApiKey("secret-one"),
  hint: "-one",
  createdAt: T0,
  ...over,
});

export function defineApiKeyContract(name: string, factory: StorageFactory): void {
  describe(`ApiKeyStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
    });
    afterEach(() => storage.close());

    it("finds a key by its hash; an unknown hash is undefined", async () => {
      await storage.apiKeys.putKey(key({ name: "ci" }));
      assert.deepEqual(await storage.apiKeys.findActiveKey(hashApiKey("secret-one")), key({ name: "ci" }));
      assert.equal(await storage.apiKeys.findActiveKey(hashApiKey("secret-two")), undefined);
    });

    it("lists an account's keys oldest first, not another account's", async () => {
      await storage.apiKeys.putKey(key({ id: "key-b", hash: "b", createdAt: T0 + 2 }));
      await storage.apiKeys.putKey(key({ id: "key-a", hash: "a", createdAt: T0 + 1 }));
      await storage.apiKeys.putKey(key({ id: "key-c", hash: "c", accountId: "acc-2" }));
      assert.deepEqual(
        (await storage.apiKeys.listKeys("acc-1")).map((k) => k.id),
        ["key-a", "key-b"],
      );
      assert.deepEqual(await storage.apiKeys.listKeys("nobody"), []);
    });

    it("a revoked key is found no more, stays listed with its time, and revokes once", async () => {
      await storage.apiKeys.putKey(key());
      assert.equal(await storage.apiKeys.revokeKey("acc-2", "key-1", T0 + 5), false, "not that account's");
      assert.equal(await storage.apiKeys.revokeKey("acc-1", "key-1", T0 + 5), true);
      assert.equal(await storage.apiKeys.revokeKey("acc-1", "key-1", T0 + 6), false, "already revoked");
      assert.equal(await storage.apiKeys.findActiveKey(key().hash), undefined);
      assert.deepEqual(await storage.apiKeys.listKeys("acc-1"), [key({ revokedAt: T0 + 5 })]);
    });

    it("putting a key by its id again replaces its secret: the old one stops working", async () => {
      await storage.apiKeys.putKey(key());
      await storage.apiKeys.putKey(key({ hash: hashApiKey("secret-new"), hint: "-new" }));
      assert.equal(await storage.apiKeys.findActiveKey(hashApiKey("secret-one")), undefined);
      assert.equal((await storage.apiKeys.findActiveKey(hashApiKey("secret-new")))?.id, "key-1");
    });

    it("two keys cannot share a hash", async () => {
      await storage.apiKeys.putKey(key());
      await assert.rejects(storage.apiKeys.putKey(key({ id: "key-2" })));
    });
  });
}
