/** The LinkStore contract: shortening domains per account, short links, clicks with their reports. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Storage } from "../../src/store/storage.ts";
import { message, type StorageFactory, T0, testPlan, webhook } from "./fixtures.ts";

export function defineLinkContract(name: string, factory: StorageFactory): void {
  describe(`LinkStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
    });
    afterEach(() => storage.close());

    it("registers a domain per account once, lists them by name, removes one", async () => {
      assert.equal(await storage.links.putDomain("acc-1", "b.example", T0), true);
      assert.equal(await storage.links.putDomain("acc-1", "b.example", T0 + 1), false);
      assert.equal(await storage.links.putDomain("acc-1", "a.example", T0 + 2), true);
      assert.equal(
        await storage.links.putDomain("acc-2", "b.example", T0 + 3),
        true,
        "domains are per account",
      );
      assert.deepEqual(await storage.links.listDomains("acc-1"), [
        { domain: "a.example", createdAt: T0 + 2 },
        { domain: "b.example", createdAt: T0 },
      ]);
      assert.equal(await storage.links.deleteDomain("acc-1", "b.example"), true);
      assert.equal(await storage.links.deleteDomain("acc-1", "b.example"), false);
      assert.deepEqual(
        (await storage.links.listDomains("acc-1")).map((d) => d.domain),
        ["a.example"],
      );
      assert.deepEqual(
        (await storage.links.listDomains("acc-2")).map((d) => d.domain),
        ["b.example"],
      );
    });

    it("finds a short link stored with its message, with its custom domain", async () => {
      await storage.messages.insert([
        message({
          messageId: "m",
          shortLinks: [{ code: "c1", url: "https://x.example", domain: "go.example" }],
        }),
      ]);
      assert.deepEqual(await storage.links.findShortLink("c1"), {
        code: "c1",
        accountId: "acc-1",
        messageId: "m",
        url: "https://x.example",
        domain: "go.example",
        createdAt: T0,
      });
      assert.equal(await storage.links.findShortLink("none"), undefined);
    });

    it("records clicks, answering the link's count, and queues each click's report", async () => {
      await storage.messages.insert([
        message({ messageId: "m", shortLinks: [{ code: "c1", url: "https://x.example" }] }),
      ]);
      assert.equal(
        await storage.links.recordClick({ code: "c1", at: T0 + 1, userAgent: "ua" }, [webhook("click-1")]),
        1,
      );
      assert.equal(await storage.links.recordClick({ code: "c1", at: T0 + 2 }), 2);
      assert.deepEqual(
        (await storage.outbox.claim(T0 + 5, 10, T0 + 1000)).map((w) => w.id),
        ["click-1"],
      );
    });
  });
}
