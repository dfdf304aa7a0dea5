/**
 * The composition root takes its store from a storage factory: SQLite on its own thread (the
 * default), SQLite in the calling thread and PostgreSQL (in the calling thread, what
 * OPENBSP_DATABASE_URL selects) all run the whole product, and in each the store itself wakes
 * dispatch and the webhook sender after its commits (polling is set to a minute here, so nothing
 * else could make the message move within the test).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { postgresStorage } from "../src/store/postgres/postgres-storage-factory.ts";
import { SqliteStorage } from "../src/store/sqlite/sqlite-storage.ts";
import { threadedSqliteStorage } from "../src/store/sqlite/threaded/threaded-sqlite-storage.ts";
import { inThisThread, type StorageFactory } from "../src/store/storage-factory.ts";
import { eventually, startServer, type TestServer, welcome } from "./support/harness.ts";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "./support/postgres.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

let pgDatabase: TestDatabase | undefined;
after(async () => {
  await pgDatabase?.drop();
});

const pgUnavailable = await postgresUnavailable();
const storages: Record<string, (dataDir: string) => Promise<StorageFactory>> = {
  // Named rather than left to the default, so the PostgreSQL pass of the suite runs it too.
  "SQLite on its own thread (the default)": async (dataDir) =>
    threadedSqliteStorage(join(dataDir, "openbsp.db")),
  "SQLite in this thread": async (dataDir) =>
    inThisThread((w) => {
      const storage = new SqliteStorage(join(dataDir, "openbsp.db"), w.plan, w.onDue);
      return { storage, handle: { kind: "sqlite", connection: storage.connection } };
    }),
  "PostgreSQL (OPENBSP_DATABASE_URL)": async () => {
    pgDatabase ??= await createTestDatabase();
    return postgresStorage({ url: pgDatabase.url, nodeId: "composition", leaseMs: 30_000 });
  },
};

for (const [name, storageFor] of Object.entries(storages)) {
  const skip = name.startsWith("PostgreSQL") ? pgUnavailable : undefined;
  describe(`composition: ${name}`, { skip }, () => {
    const rx = new WebhookReceiver();
    const dataDir = mkdtempSync(join(tmpdir(), "openbsp-test-"));
    let server: TestServer;
    before(async () => {
      await rx.start();
      const storage = await storageFor(dataDir);
      server = await startServer(
        {
          OPENBSP_DATA_DIR: dataDir,
          OPENBSP_POLL_MS: "60000",
          OPENBSP_DELIVERY_URL: `${rx.url}/dlr`,
          // The phone reads it a minute later: the stored status is still "delivered" when checked.
          OPENBSP_SANDBOX_READ_DELAY_MS: "60000",
        },
        { storage },
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
