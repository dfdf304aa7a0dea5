/** The MediaStore contract: uploaded media records, put, read and deleted. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { UploadedMedia } from "../../src/core/uploaded-media.ts";
import type { Storage } from "../../src/store/storage.ts";
import { type StorageFactory, T0, testPlan } from "./fixtures.ts";

const media = (over: Partial<UploadedMedia> = {}): UploadedMedia => ({
  id: "900000000000001",
  accountId: "acc-1",
  sender: "441134960000",
  mimeType: "image/png",
  sha256: "ab".repeat(32),
  size: 1234,
  origin: "upload",
  createdAt: T0,
  ...over,
});

export function defineMediaContract(name: string, factory: StorageFactory): void {
  describe(`MediaStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
    });
    afterEach(() => storage.close());

    it("stores a record and reads it back, filename absent unless given", async () => {
      await storage.media.put(media());
      await storage.media.put(media({ id: "2", filename: "a.pdf", mimeType: "application/pdf" }));
      assert.deepEqual(await storage.media.get("900000000000001"), media());
      assert.deepEqual(
        await storage.media.get("2"),
        media({ id: "2", filename: "a.pdf", mimeType: "application/pdf" }),
      );
      assert.equal(await storage.media.get("3"), undefined);
    });

    it("keeps who put the media there: an upload, or a user's inbound media with the user's number", async () => {
      const inbound = media({ id: "4", origin: "inbound", from: "447700900001", mimeType: "image/jpeg" });
      await storage.media.put(inbound);
      assert.deepEqual(await storage.media.get("4"), inbound);
      assert.equal((await storage.media.get("4"))?.origin, "inbound");
    });

    it("deletes a record once", async () => {
      await storage.media.put(media());
      assert.equal(await storage.media.delete("900000000000001"), true);
      assert.equal(await storage.media.delete("900000000000001"), false);
      assert.equal(await storage.media.get("900000000000001"), undefined);
    });
  });
}
