/**
 * The storage contract suites against the PostgreSQL adapter (a fresh database for this file, a
 * fresh schema per store), the simulator's contract against its PostgreSQL tables; that the two
 * adapters' schemas are the same; that several nodes migrating at once apply each step once; that
 * claims are shared between nodes and a node frees only its own leases.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { postgresSimulatorStore } from "../src/simulator/postgres/pg-simulator-store.ts";
import { MIGRATIONS } from "../src/store/migrations.ts";
import { POSTGRES_MIGRATIONS } from "../src/store/postgres/pg-schema.ts";
import { PostgresStorage } from "../src/store/postgres/postgres-storage.ts";
import { SqliteStorage } from "../src/store/sqlite/sqlite-storage.ts";
import { defineApiKeyContract } from "./contracts/api-key-contract.ts";
import { defineCarrierInboxContract } from "./contracts/carrier-inbox-contract.ts";
import { defineCatalogContract } from "./contracts/catalog-contract.ts";
import { defineConversationContract } from "./contracts/conversation-contract.ts";
import { account, type StorageFactory, sender, T0, template, testPlan } from "./contracts/fixtures.ts";
import { defineFlowContract } from "./contracts/flow-contract.ts";
import { defineLinkContract } from "./contracts/link-contract.ts";
import { defineMediaContract } from "./contracts/media-contract.ts";
import { defineMessageContract } from "./contracts/message-contract.ts";
import { defineMessageLogContract } from "./contracts/message-log-contract.ts";
import { defineOutboxContract } from "./contracts/outbox-contract.ts";
import { definePacingContract } from "./contracts/pacing-contract.ts";
import { defineSimulatorContract } from "./contracts/simulator-contract.ts";
import { defineSmsFailoverContract } from "./contracts/sms-failover-contract.ts";
import {
  defineSubscriptionContract,
  MIGRATED,
  SETTINGS_AFTER,
  SETTINGS_BEFORE,
} from "./contracts/subscription-contract.ts";
import { defineWebhookLogContract } from "./contracts/webhook-log-contract.ts";
import {
  createSchema,
  createTestDatabase,
  freshSchemaName,
  postgresUnavailable,
  type TestDatabase,
} from "./support/postgres.ts";

const unavailable = await postgresUnavailable();
if (unavailable) it("PostgreSQL storage suites", { skip: unavailable }, () => {});
else definePostgresSuites();

function definePostgresSuites() {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  const open = async (plan = testPlan(), nodeId = "node-a", url?: string) =>
    PostgresStorage.open({
      url: url ?? (await createSchema(db.url, freshSchemaName())),
      plan,
      nodeId,
      leaseMs: 30_000,
    });

  const postgres: StorageFactory = (plan) => open(plan);

  defineCatalogContract("PostgreSQL", postgres);
  defineApiKeyContract("PostgreSQL", postgres);
  defineWebhookLogContract("PostgreSQL", postgres);
  defineMessageContract("PostgreSQL", postgres);
  definePacingContract("PostgreSQL", postgres);
  defineMessageLogContract("PostgreSQL", postgres);
  defineOutboxContract("PostgreSQL", postgres);
  defineConversationContract("PostgreSQL", postgres);
  defineSmsFailoverContract("PostgreSQL", postgres);
  defineLinkContract("PostgreSQL", postgres);
  defineMediaContract("PostgreSQL", postgres);
  defineFlowContract("PostgreSQL", postgres);
  defineCarrierInboxContract("PostgreSQL", postgres);
  defineSubscriptionContract("PostgreSQL", postgres);
  defineSimulatorContract("PostgreSQL", async () => {
    const storage = await open();
    return { store: postgresSimulatorStore(storage.connection), close: () => storage.close() };
  });

  describe("PostgreSQL schema", () => {
    it("has the same tables and columns as SQLite's after the one list of migrations", async () => {
      const file = new SqliteStorage(":memory:", testPlan());
      const liteDb = file.connection.db;
      const liteTables = (
        liteDb.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
          name: string;
        }[]
      ).map((t) => t.name);
      const liteColumns = Object.fromEntries(
        liteTables.map((t) => [
          t,
          (liteDb.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name).sort(),
        ]),
      );
      await file.close();

      const url = await createSchema(db.url, freshSchemaName("drift"));
      const storage = await open(testPlan(), "node-a", url);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() ORDER BY table_name, column_name`,
        );
        const pgColumns: Record<string, string[]> = {};
        for (const r of rows) {
          // The stand-in for SQLite's rowid, where rows are listed in arrival order.
          if (r.column_name === "arrival") continue;
          const cols = pgColumns[r.table_name] ?? [];
          cols.push(r.column_name);
          pgColumns[r.table_name] = cols;
        }
        delete pgColumns.schema_migrations;
        for (const cols of Object.values(pgColumns)) cols.sort();
        assert.deepEqual(pgColumns, liteColumns);
        assert.equal(
          Number((await client.query("SELECT max(version) AS v FROM schema_migrations")).rows[0].v),
          MIGRATIONS.length,
        );
      } finally {
        await client.end();
        await storage.close();
      }
    });

    it("several nodes starting at once apply each migration once (advisory lock)", async () => {
      const url = await createSchema(db.url, freshSchemaName("race"));
      const nodes = await Promise.all(["a", "b", "c", "d"].map((n) => open(testPlan(), n, url)));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query("SELECT version FROM schema_migrations ORDER BY version");
        assert.deepEqual(
          rows.map((r) => r.version),
          MIGRATIONS.map((_, i) => i + 1),
        );
      } finally {
        await client.end();
        await Promise.all(nodes.map((s) => s.close()));
      }
    });
  });

  describe("PostgreSQL claims across nodes", () => {
    const message = (id: string) => ({
      accountId: "acc-1",
      messageId: id,
      face: "infobip" as const,
      from: "441134960000",
      to: "447700900001" as never,
      content: { type: "text" as const, text: "hi", previewUrl: false },
      acceptedAt: T0,
      expiresAt: T0 + 86_400_000,
    });

    it("two nodes claiming at once share the messages: each claimed by exactly one", async () => {
      const url = await createSchema(db.url, freshSchemaName("claims"));
      const a = await open(testPlan(), "node-a", url);
      const b = await open(testPlan(), "node-b", url);
      try {
        await a.catalog.upsertAccount(account());
        await a.catalog.upsertSender(sender());
        const ids = Array.from({ length: 200 }, (_, i) => `m-${i}`);
        // Sent through both nodes, many requests per group commit.
        const outcomes = await Promise.all(
          ids.map((id, i) => (i % 2 ? a : b).messages.insert([message(id)])),
        );
        assert.ok(outcomes.every(([o]) => o?.kind === "inserted"));
        const claimed: number[] = [];
        for (let round = 0; round < 20; round++) {
          const [x, y] = await Promise.all([
            a.messages.claim(T0 + 1, 7, T0 + 60_000),
            b.messages.claim(T0 + 1, 7, T0 + 60_000),
          ]);
          claimed.push(...x.map((m) => m.seq), ...y.map((m) => m.seq));
        }
        while (true) {
          const rest = await a.messages.claim(T0 + 1, 50, T0 + 60_000);
          if (rest.length === 0) break;
          claimed.push(...rest.map((m) => m.seq));
        }
        assert.equal(claimed.length, 200, "every message claimed");
        assert.equal(new Set(claimed).size, 200, "none claimed twice");
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("two nodes claiming a paced sender's messages at once share its one pace (its pacing row locked)", async () => {
      const url = await createSchema(db.url, freshSchemaName("pace"));
      const a = await open(testPlan(), "node-a", url);
      const b = await open(testPlan(), "node-b", url);
      try {
        await a.catalog.upsertAccount(account());
        await a.catalog.upsertSender(sender({ throughputMps: 10 }));
        await a.messages.insert(["p1", "p2", "p3", "p4"].map(message));
        // Two at most per claim: each node locks its own due messages (the other's skipped), and
        // both need the sender's slots.
        const ids = async (now: number) => {
          const [x, y] = await Promise.all([
            a.messages.claim(now, 2, now + 60_000),
            b.messages.claim(now, 2, now + 60_000),
          ]);
          return [...x, ...y].map((m) => m.messageId).sort();
        };
        assert.deepEqual(await ids(T0), ["p1"], "one slot at T0, whichever node took it");
        assert.deepEqual(await ids(T0 + 50), []);
        assert.deepEqual(await ids(T0 + 100), ["p2"]);
        assert.deepEqual(await ids(T0 + 300), ["p3", "p4"], "the slots that have come, once each");
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("a catalog change through one node is announced to every node watching (LISTEN/NOTIFY), after its commit", async () => {
      const url = await createSchema(db.url, freshSchemaName("notify"));
      const a = await open(testPlan(), "node-a", url);
      const b = await open(testPlan(), "node-b", url);
      let heard = 0;
      const stop = await b.catalog.watchChanges(() => heard++);
      try {
        await a.catalog.upsertAccount(account());
        await a.catalog.insertTemplate(template());
        await a.catalog.updateTemplate(template({ status: "PAUSED" }));
        // Reads do not announce anything.
        await a.catalog.findTemplateById("tpl-1");
        const deadline = Date.now() + 10_000;
        while (heard < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        assert.ok(heard >= 3, `heard ${heard} of 3 changes`);
        await stop();
        // Whatever was already on its way when the watch stopped has been told by now.
        await new Promise((r) => setTimeout(r, 200));
        const before = heard;
        await a.catalog.updateTemplate(template({ status: "APPROVED" }));
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(heard, before, "nothing heard once stopped");
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("a subscription made through one node is routed by another that had the account's cached", async () => {
      const url = await createSchema(db.url, freshSchemaName("subs"));
      const a = await open(testPlan(), "node-a", url);
      const b = await open(testPlan(), "node-b", url);
      try {
        assert.deepEqual((await b.subscriptions.subscriptionsOf("acc-1")).subscriptions, []);
        const s = {
          subscriptionId: "sub-1",
          channel: "WHATSAPP",
          events: ["DELIVERY"],
          profileId: "p",
          criteria: [],
        };
        await a.subscriptions.createSubscription(
          "acc-1",
          s,
          {},
          { profile: { profileId: "p", notifyUrl: "http://x/y" } },
        );
        // Announced on commit (and the cache's own limit is a second): node b reads it without a restart.
        const deadline = Date.now() + 10_000;
        let seen = await b.subscriptions.subscriptionsOf("acc-1");
        while (seen.subscriptions.length === 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 10));
          seen = await b.subscriptions.subscriptionsOf("acc-1");
        }
        assert.deepEqual(seen.subscriptions, [s]);
        await a.subscriptions.deleteSubscription("acc-1", "WHATSAPP", "sub-1");
        while (seen.subscriptions.length > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 10));
          seen = await b.subscriptions.subscriptionsOf("acc-1");
        }
        assert.deepEqual(seen.subscriptions, [], "and its deletion");
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("an existing database's subscription JSON and secrets move into the rows", async () => {
      const url = await createSchema(db.url, freshSchemaName("subsmig"));
      const before = POSTGRES_MIGRATIONS.findIndex((sql) => sql.includes("CREATE TABLE event_subscriptions"));
      assert.ok(before > 0, "the subscriptions migration is in the list");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query("CREATE TABLE schema_migrations (version INTEGER NOT NULL)");
        for (const [i, sql] of POSTGRES_MIGRATIONS.slice(0, before).entries()) {
          await client.query(sql);
          await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [i + 1]);
        }
        const insert =
          "INSERT INTO accounts (id, name, api_key, business_verified, settings) VALUES ($1, $2, $3, 0, $4)";
        await client.query(insert, ["acc-a", "a", "secret-a", JSON.stringify(SETTINGS_BEFORE)]);
        await client.query(insert, [
          "acc-b",
          "b",
          "secret-b",
          JSON.stringify({ meta: { webhookUrl: "http://meta" } }),
        ]);
      } finally {
        await client.end();
      }
      const storage = await open(testPlan(), "node-a", url);
      try {
        assert.deepEqual(await storage.subscriptions.subscriptionsOf("acc-a"), MIGRATED);
        assert.deepEqual((await storage.catalog.getAccount("acc-a"))?.settings, SETTINGS_AFTER);
        assert.deepEqual((await storage.catalog.getAccount("acc-b"))?.settings, {
          meta: { webhookUrl: "http://meta" },
        });
      } finally {
        await storage.close();
      }
    });

    it("a node starting frees its own leases only; another's are taken over once they run out", async () => {
      const url = await createSchema(db.url, freshSchemaName("leases"));
      const a = await open(testPlan(), "node-a", url);
      const b = await open(testPlan(), "node-b", url);
      try {
        await a.catalog.upsertAccount(account());
        // Unpaced: both messages are due at once (pacing has its own contract).
        await a.catalog.upsertSender(sender());
        await a.messages.insert([message("held-by-a")]);
        await b.messages.insert([message("held-by-b")]);
        await b.catalog.insertTemplate(template({ id: "t", status: "PENDING", reviewDueAt: T0 }));
        const [ma] = await a.messages.claim(T0 + 1, 1, T0 + 60_000);
        const [mb] = await b.messages.claim(T0 + 1, 1, T0 + 60_000);
        assert.ok(ma && mb);
        assert.equal((await b.catalog.pendingTemplatesDue(T0 + 1, 10)).length, 1, "b leases the review");
        assert.deepEqual(await a.catalog.pendingTemplatesDue(T0 + 1, 10), [], "a skips b's review");
        // Node a restarts: its lease goes, b's stays.
        await a.releaseAllLeases();
        assert.deepEqual(
          (await a.messages.claim(T0 + 2, 10, T0 + 120_000)).map((m) => m.messageId),
          [ma.messageId],
        );
        // b dies holding its message: once the lease has run out, a takes it over.
        assert.deepEqual(await a.messages.claim(T0 + 59_000, 10, T0 + 120_000), []);
        assert.deepEqual(
          (await a.messages.claim(T0 + 60_000, 10, T0 + 120_000)).map((m) => m.messageId),
          [mb.messageId],
        );
        assert.equal(
          (await a.catalog.pendingTemplatesDue(T0 + 1 + 30_000, 10)).length,
          1,
          "review taken over",
        );
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
