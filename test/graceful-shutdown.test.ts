/**
 * SIGTERM under load, with `npm start`'s entry point in real child processes: every request in
 * flight is answered (2xx, or refused cleanly: 503 or a connection the server never read), the
 * process exits 0, every 2xx'd message and only those are stored, and no claim is left held —
 * read through the store itself (the SQLite file, or the node's PostgreSQL schema). One node
 * restarted delivers them all; of two nodes on one PostgreSQL database, the other takes the
 * stopped node's work at once (its leases are far from running out).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { type ChildServer, spawnOpenBsp, stopChild } from "./support/child-server.ts";
import { eventually, queryDataDir, queryStore, request } from "./support/harness.ts";
import { heldClaims, type Query, totalHeld } from "./support/leases.ts";
import { acceptedMessages, keptAlive, type Outcome, requestOf, startLoad, tally } from "./support/load.ts";
import {
  createSchema,
  createTestDatabase,
  freshSchemaName,
  postgresUnavailable,
  type TestDatabase,
} from "./support/postgres.ts";
import { RecordingReceiver } from "./support/recording-receiver.ts";

const PER_REQUEST = 50;
/** Message `i` of request `n` of a load: a phone of its own. */
const phoneOf = (base: number) => (n: number, i: number) =>
  `4477${String(base + n * PER_REQUEST + i).slice(-8)}`;

const ENV = {
  OPENBSP_WEBHOOK_RETRY_MS: "100,200,300,400,500,500,500,500,500,500",
  OPENBSP_THROUGHPUT_MPS: "0",
  OPENBSP_PAIR_RATE_BURST: "0",
};

/** Sends SIGTERM and waits for the exit: 0, or the assertion names what the node printed. */
async function terminate(node: ChildServer): Promise<void> {
  const exited = new Promise<number | null>((resolve) => node.child.once("exit", (code) => resolve(code)));
  node.child.kill("SIGTERM");
  assert.equal(await exited, 0, `exit code; it printed:\n${node.output().slice(-2000)}`);
}

/** Only 2xx and clean refusals: nothing answered 5xx other than the drain's 503. */
function assertCleanOutcomes(t: TestContext, outcomes: readonly Outcome[]): void {
  const statuses = tally(outcomes);
  for (const key of statuses.keys())
    assert.ok(
      /^(200|503|not-connected:.*|reset:.*)$/.test(key),
      `unexpected outcome ${key}: ${JSON.stringify([...statuses])}`,
    );
  t.diagnostic(`outcomes: ${JSON.stringify([...statuses])}`);
}

/**
 * Stored: every 2xx'd message, and nothing of a request that was not answered 2xx (a request cut
 * short after its commit would show here as stored but not acknowledged).
 */
async function assertStoredAsAcknowledged(query: Query, prefix: string, outcomes: readonly Outcome[]) {
  const ok = new Set(
    outcomes.filter((o) => o.kind === "answered" && o.status === 200).map((o) => o.requestId),
  );
  const rows = await query(`SELECT message_id FROM messages WHERE message_id LIKE '${prefix}-%'`);
  const stored = new Set(rows.map((r) => requestOf(String(r.message_id))));
  assert.deepEqual(
    [...ok].filter((id) => !stored.has(id)),
    [],
    "every 2xx'd message is stored",
  );
  assert.deepEqual(
    [...stored].filter((id) => !ok.has(id)),
    [],
    `every stored message was answered 2xx (${JSON.stringify([...tally(outcomes)])})`,
  );
}

describe("graceful shutdown on SIGTERM (a real child process under load)", () => {
  const rx = new RecordingReceiver();
  const dir = mkdtempSync(join(tmpdir(), "openbsp-sigterm-"));
  const children: ChildServer[] = [];
  const spawn = async () => {
    const child = await spawnOpenBsp({
      ...ENV,
      OPENBSP_DATA_DIR: dir,
      OPENBSP_DELIVERY_URL: `${rx.url}/term`,
    });
    children.push(child);
    return child;
  };
  before(() => rx.start());
  after(async () => {
    for (const c of children) await stopChild(c.child, "SIGKILL");
    await rx.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers every request in flight, exits 0, holds no claim, and loses nothing", async (t) => {
    // A slow receiver: webhooks are in flight (claimed) when the signal comes.
    rx.respond = () => ({ status: 200, delayMs: 200 });
    const first = await spawn();
    await request(first.url, "POST", "/sandbox/rules", {
      pattern: "4477*",
      behaviour: "deliver",
      deliverDelayMs: 200,
    });
    const agent = keptAlive(16);
    // Requests of many messages: each is in flight a while (validation, one commit of 50 rows).
    const load = startLoad({
      baseUrl: first.url,
      node: "test-node",
      agent,
      clients: 16,
      perRequest: PER_REQUEST,
      prefix: "term",
      phoneOf: phoneOf(10_000_000),
    });
    const answered = () => load.outcomes.filter((o) => o.kind === "answered" && o.status === 200).length;
    await eventually(() => answered() > 10, 20_000, "load running (10 requests answered)");
    await terminate(first);
    await load.stop();
    await agent.close();
    assertCleanOutcomes(t, load.outcomes);

    const query: Query = (sql) => queryDataDir(dir, sql);
    await assertStoredAsAcknowledged(query, "term", load.outcomes);
    assert.deepEqual(
      Object.entries(await heldClaims(query)).filter(([, n]) => n > 0),
      [],
      "no claim left held",
    );

    // Restarted, it delivers every accepted message.
    rx.respond = () => ({ status: 200 });
    await spawn();
    await rx.waitForAll(acceptedMessages(load.outcomes, PER_REQUEST), "delivery", 60_000, "/term");
  });
});

const unavailable = await postgresUnavailable();

describe("graceful shutdown of one of two nodes on one PostgreSQL database", { skip: unavailable }, () => {
  const rx = new RecordingReceiver();
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  let db: TestDatabase;
  let url: string;
  const spawn = async (node: string) => {
    const dir = mkdtempSync(join(tmpdir(), `openbsp-${node}-`));
    dirs.push(dir);
    const child = await spawnOpenBsp({
      ...ENV,
      OPENBSP_DATABASE_URL: url,
      OPENBSP_DATA_DIR: dir,
      OPENBSP_NODE_ID: node,
      OPENBSP_DELIVERY_URL: `${rx.url}/term2`,
      // Leases far longer than the test: the other node can take the stopped node's work only
      // because the shutdown released its claims, not because they ran out.
      OPENBSP_LEASE_MS: "600000",
    });
    children.push(child);
    return child;
  };
  before(async () => {
    await rx.start();
    db = await createTestDatabase();
    url = await createSchema(db.url, freshSchemaName("term"));
  });
  after(async () => {
    for (const c of children) await stopChild(c.child, "SIGKILL");
    await rx.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await db?.drop();
  });

  it("SIGTERM to node A under load: requests in flight answered, no claim of A left, node B delivers A's work at once", async (t) => {
    rx.respond = () => ({ status: 200, delayMs: 200 });
    // One after the other: both apply the migrations and seed the same database.
    const a = await spawn("node-a");
    const b = await spawn("node-b");
    await request(a.url, "POST", "/sandbox/rules", {
      pattern: "4477*",
      behaviour: "deliver",
      deliverDelayMs: 200,
    });
    const agent = keptAlive(16);
    const common = { agent, clients: 8, perRequest: PER_REQUEST };
    const loadA = startLoad({
      ...common,
      baseUrl: a.url,
      node: "node-a",
      prefix: "terma",
      phoneOf: phoneOf(20_000_000),
    });
    const loadB = startLoad({
      ...common,
      baseUrl: b.url,
      node: "node-b",
      prefix: "termb",
      phoneOf: phoneOf(30_000_000),
    });
    const query: Query = (sql) => queryStore(url, "", sql);
    // The signal comes while node A holds claims (messages, webhooks, phones' timers).
    const heldBefore = await eventually(
      async () => {
        const held = await heldClaims(query, "node-a");
        return totalHeld(held) > 0 ? held : undefined;
      },
      20_000,
      "node A to hold claims under load",
    );
    await terminate(a);
    const heldAfter = await heldClaims(query, "node-a");
    await loadA.stop();
    await loadB.stop();
    await agent.close();
    t.diagnostic(`node A held ${JSON.stringify(heldBefore)} before the signal`);
    assertCleanOutcomes(t, [...loadA.outcomes, ...loadB.outcomes]);
    assert.deepEqual(
      Object.entries(heldAfter).filter(([, n]) => n > 0),
      [],
      "node A released every claim as it stopped",
    );
    assert.ok(
      loadB.outcomes.every((o) => o.kind === "answered" && o.status === 200),
      `node B answered every request 200: ${JSON.stringify([...tally(loadB.outcomes)])}`,
    );
    await assertStoredAsAcknowledged(query, "terma", loadA.outcomes);
    await assertStoredAsAcknowledged(query, "termb", loadB.outcomes);

    // Node B alone delivers and reports everything both nodes accepted: A's released claims are
    // its to take now, ten minutes before A's leases would have run out.
    rx.respond = () => ({ status: 200 });
    const accepted = acceptedMessages([...loadA.outcomes, ...loadB.outcomes], PER_REQUEST);
    await rx.waitForAll(accepted, "delivery", 60_000, "/term2");
    await eventually(
      async () => (await request(b.url, "GET", "/healthz")).body?.webhooks?.pending === 0,
      30_000,
      "the outbox to drain",
    );
  });
});
