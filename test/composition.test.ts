/**
 * The composition root takes its store from a storage factory: the default (SQLite on its own
 * thread) and SQLite in the calling thread both run the whole product, and in both the store
 * itself wakes dispatch and the webhook sender after its commits (polling is set to a minute here,
 * so nothing else could make the message move within the test).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SqliteStorage } from "../src/store/sqlite/sqlite-storage.ts";
import { inThisThread, type StorageFactory } from "../src/store/storage-factory.ts";
import { eventually, startServer, type TestServer, welcome } from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const storages: Record<string, (dataDir: string) => StorageFactory | undefined> = {
  "SQLite on its own thread (the default)": () => undefined,
  "SQLite in this thread": (dataDir) =>
    inThisThread((w) => {
      const storage = new SqliteStorage(join(dataDir, "openbsp.db"), w.plan, w.onDue);
      return { storage, handle: { kind: "sqlite", connection: storage.connection } };
    }),
};

for (const [name, storageFor] of Object.entries(storages)) {
  describe(`composition: ${name}`, () => {
    const rx = new WebhookReceiver();
    const dataDir = mkdtempSync(join(tmpdir(), "openbsp-test-"));
    let server: TestServer;
    before(async () => {
      await rx.start();
      const storage = storageFor(dataDir);
      server = await startServer(
        { OPENBSP_DATA_DIR: dataDir, OPENBSP_POLL_MS: "60000", OPENBSP_DELIVERY_URL: `${rx.url}/dlr` },
        storage ? { storage } : {},
      );
    });
    after(async () => {
      await server.close();
      await rx.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("accepts, dispatches and reports a send, woken by the store's commits", async () => {
      const res = await server.call("POST", "/whatsapp/1/message/template", {
        messages: [welcome("447700900051")],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const messageId = res.body.messages[0].messageId as string;
      const report = await eventually(
        () =>
          rx.received.find((r) =>
            r.body.results?.some((x: { messageId: string }) => x.messageId === messageId),
          ),
        5000,
        "the delivery report",
      );
      assert.equal(report.body.results[0].status.groupName, "DELIVERED");
      const stored = await server.ctx.storage.messages.get(server.seeded.account.id, messageId);
      assert.equal(stored?.status, "delivered");
    });
  });
}
