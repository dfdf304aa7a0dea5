/**
 * The storage contract suites against the SQLite adapter (a fresh in-memory database per test),
 * the simulator's contract against its SQLite tables, and the migration that moved dialect
 * settings and sender ids out of the schema's columns.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { sqliteSimulatorStore } from "../src/simulator/sqlite/sqlite-simulator-store.ts";
import { hashApiKey } from "../src/store/api-key-store.ts";
import { SQLITE_MIGRATIONS } from "../src/store/sqlite/schema.ts";
import { SqliteStorage } from "../src/store/sqlite/sqlite-storage.ts";
import { defineApiKeyContract } from "./contracts/api-key-contract.ts";
import { defineCarrierInboxContract } from "./contracts/carrier-inbox-contract.ts";
import { defineCatalogContract } from "./contracts/catalog-contract.ts";
import { defineConversationContract } from "./contracts/conversation-contract.ts";
import { type StorageFactory, testPlan } from "./contracts/fixtures.ts";
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

const sqlite: StorageFactory = async (plan) => new SqliteStorage(":memory:", plan);

defineCatalogContract("SQLite", sqlite);
defineApiKeyContract("SQLite", sqlite);
defineWebhookLogContract("SQLite", sqlite);
defineMessageContract("SQLite", sqlite);
definePacingContract("SQLite", sqlite);
defineMessageLogContract("SQLite", sqlite);
defineOutboxContract("SQLite", sqlite);
defineConversationContract("SQLite", sqlite);
defineSmsFailoverContract("SQLite", sqlite);
defineLinkContract("SQLite", sqlite);
defineMediaContract("SQLite", sqlite);
defineFlowContract("SQLite", sqlite);
defineCarrierInboxContract("SQLite", sqlite);
defineSubscriptionContract("SQLite", sqlite);
defineSimulatorContract("SQLite", async () => {
  const storage = new SqliteStorage(":memory:", testPlan());
  return { store: sqliteSimulatorStore(storage.connection), close: () => storage.close() };
});

describe("SQLite migration of dialect settings and sender ids", () => {
  const dir = mkdtempSync(join(tmpdir(), "openbsp-migrate-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("an existing database keeps its accounts' URLs and settings and its senders' ids, as settings and aliases", async () => {
    const file = join(dir, "old.db");
    // A database as the release before this migration left it.
    const before = SQLITE_MIGRATIONS.findIndex((sql) => sql.includes("CREATE TABLE sender_aliases"));
    assert.ok(before > 0, "the dialect migration is in the list");
    const old = new Database(file);
    for (const [i, sql] of SQLITE_MIGRATIONS.slice(0, before).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${i + 1}`);
    }
    old
      .prepare(
        "INSERT INTO accounts (id, name, api_key, business_verified, delivery_url, inbound_url, face_settings) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        "acc-a",
        "a",
        "key-a",
        0,
        "http://dlr",
        null,
        JSON.stringify({
          meta: { webhookUrl: "http://meta", appSecret: "s" },
          sinch: { callbackUrl: "http://sinch" },
        }),
      );
    old
      .prepare("INSERT INTO accounts (id, name, api_key, business_verified) VALUES (?, ?, ?, ?)")
      .run("acc-b", "b", "key-b", 1);
    old
      .prepare(
        "INSERT INTO senders (number, account_id, waba_id, meta_phone_number_id, sinch_bot_id) VALUES (?, ?, ?, ?, ?)",
      )
      .run("441134960000", "acc-a", "waba", "100000000000003", "bot");
    old
      .prepare("INSERT INTO senders (number, account_id, waba_id) VALUES (?, ?, ?)")
      .run("441134960001", "acc-b", "waba");
    old.close();

    const storage = new SqliteStorage(file, testPlan());
    try {
      const { secret: _a, ...a } = (await storage.catalog.getAccount("acc-a")) ?? { secret: "" };
      const { secret: _b, ...b } = (await storage.catalog.getAccount("acc-b")) ?? { secret: "" };
      assert.deepEqual(a, {
        id: "acc-a",
        name: "a",
        businessVerified: false,
        settings: {
          infobip: { deliveryUrl: "http://dlr" },
          meta: { webhookUrl: "http://meta", appSecret: "s" },
          sinch: { callbackUrl: "http://sinch" },
        },
      });
      assert.deepEqual(b, { id: "acc-b", name: "b", businessVerified: true });
      // The plain keys became hashed keys, and the column that held them a random secret.
      assert.equal((await storage.apiKeys.findActiveKey(hashApiKey("key-a")))?.accountId, "acc-a");
      assert.equal((await storage.apiKeys.findActiveKey(hashApiKey("key-b")))?.accountId, "acc-b");
      assert.deepEqual(
        (await storage.apiKeys.listKeys("acc-a")).map((k) => ({ id: k.id, hint: k.hint })),
        [{ id: "key-acc-a", hint: "ey-a" }],
      );
      assert.notEqual(_a, "key-a");
      assert.match(_a, /^[0-9a-f]{64}$/);
      assert.notEqual(_a, _b);
      const seeded = {
        number: "441134960000",
        accountId: "acc-a",
        wabaId: "waba",
        aliases: { metaPhoneNumberId: "100000000000003", sinchBotId: "bot" },
      };
      assert.deepEqual(await storage.catalog.findSender("441134960000"), seeded);
      assert.deepEqual(
        await storage.catalog.findSenderByAlias("metaPhoneNumberId", "100000000000003"),
        seeded,
      );
      assert.deepEqual(await storage.catalog.findSenderByAlias("sinchBotId", "bot"), seeded);
      assert.deepEqual(await storage.catalog.findSender("441134960001"), {
        number: "441134960001",
        accountId: "acc-b",
        wabaId: "waba",
        aliases: {},
      });
    } finally {
      await storage.close();
    }
  });
});

describe("SQLite migration of event subscriptions out of the account settings", () => {
  const dir = mkdtempSync(join(tmpdir(), "openbsp-migrate-subs-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("an existing database keeps its subscriptions, profiles, security settings and their secrets, as rows", async () => {
    const file = join(dir, "old.db");
    const before = SQLITE_MIGRATIONS.findIndex((sql) => sql.includes("CREATE TABLE event_subscriptions"));
    assert.ok(before > 0, "the subscriptions migration is in the list");
    const old = new Database(file);
    // As the schema's own migrate does, for the steps that hash the old plain keys.
    old.function("openbsp_sha256", { deterministic: true }, (v: unknown) => hashApiKey(String(v)));
    for (const [i, sql] of SQLITE_MIGRATIONS.slice(0, before).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${i + 1}`);
    }
    const insert = old.prepare(
      "INSERT INTO accounts (id, name, api_key, business_verified, settings) VALUES (?, ?, ?, 0, ?)",
    );
    insert.run("acc-a", "a", "secret-a", JSON.stringify(SETTINGS_BEFORE));
    insert.run("acc-b", "b", "secret-b", JSON.stringify({ meta: { webhookUrl: "http://meta" } }));
    insert.run("acc-c", "c", "secret-c", null);
    old.close();

    const storage = new SqliteStorage(file, testPlan());
    try {
      assert.deepEqual(await storage.subscriptions.subscriptionsOf("acc-a"), MIGRATED);
      assert.deepEqual((await storage.catalog.getAccount("acc-a"))?.settings, SETTINGS_AFTER);
      assert.deepEqual((await storage.catalog.getAccount("acc-b"))?.settings, {
        meta: { webhookUrl: "http://meta" },
      });
      assert.equal((await storage.catalog.getAccount("acc-c"))?.settings, undefined);
      assert.deepEqual((await storage.subscriptions.subscriptionsOf("acc-b")).subscriptions, []);
    } finally {
      await storage.close();
    }
  });
});
