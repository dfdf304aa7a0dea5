/**
 * Two OpenBSP processes on one PostgreSQL database, as behind a load balancer: 20,000 template
 * messages sent round-robin to both over real HTTP, one node SIGKILLed half-way (its claims left
 * held, requests in flight cut) and started again under a new node id. Then every accepted (2xx'd)
 * message has exactly one final status, each simulated phone received each message exactly once,
 * and every report arrived with a stable event id: the receiver may get a report twice (webhooks
 * are at least once), but a repeat carries the first POST's event id.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type ChildServer, spawnOpenBsp, stopChild } from "./support/child-server.ts";
import { eventually, queryStore, request } from "./support/harness.ts";
import { type HeldClaims, heldClaims, type Query } from "./support/leases.ts";
import { keptAlive, type Outcome, requestOf, sendTemplates, tally, templateRequest } from "./support/load.ts";
import {
  createSchema,
  createTestDatabase,
  freshSchemaName,
  postgresUnavailable,
  type TestDatabase,
} from "./support/postgres.ts";
import { RecordingReceiver } from "./support/recording-receiver.ts";

const unavailable = await postgresUnavailable();

const MESSAGES = 20_000;
/** Messages per request: the fastest honest way to 20,000 (Infobip takes many per request). */
const PER_REQUEST = 100;
const REQUESTS = MESSAGES / PER_REQUEST;
const PHONES = Array.from({ length: 200 }, (_, i) => `4477008${String(10_000 + i)}`);
/** Requests in flight at once over both nodes. */
const CLIENTS = 8;

describe("two node processes, one SIGKILLed mid-way and restarted", { skip: unavailable }, () => {
  const rx = new RecordingReceiver();
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  let db: TestDatabase;
  let url: string;
  const spawn = async (node: string) => {
    const dir = mkdtempSync(join(tmpdir(), `openbsp-${node}-`));
    dirs.push(dir);
    const child = await spawnOpenBsp(
      {
        OPENBSP_DATABASE_URL: url,
        OPENBSP_DATA_DIR: dir,
        OPENBSP_NODE_ID: node,
        OPENBSP_DELIVERY_URL: `${rx.url}/dlr`,
        // Unpaced and unlimited: the test measures the cluster, not the sender's tier.
        OPENBSP_THROUGHPUT_MPS: "0",
        OPENBSP_PAIR_RATE_BURST: "0",
        OPENBSP_ACCOUNT_REQUESTS_PER_SECOND: "0",
        // Delivered is the final status here: no phone reads within the test.
        OPENBSP_SANDBOX_READ_DELAY_MS: "3600000",
        // The killed node's claims are taken over once their leases run out.
        OPENBSP_LEASE_MS: "5000",
      },
      60_000,
    );
    children.push(child);
    return child;
  };
  before(async () => {
    await rx.start();
    db = await createTestDatabase();
    url = await createSchema(db.url, freshSchemaName("crash"));
  });
  after(async () => {
    for (const c of children) await stopChild(c.child, "SIGKILL");
    await rx.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await db?.drop();
  });

  it(`${MESSAGES} messages round-robin to two nodes, one SIGKILLed and restarted: each delivered once, reported once`, {
    timeout: 240_000,
  }, async (t) => {
    const started = Date.now();
    // One after the other: both apply the migrations and seed the same database.
    const nodes: { name: string; server: ChildServer | undefined }[] = [
      { name: "node-a", server: await spawn("node-a") },
      { name: "node-b", server: await spawn("node-b") },
    ];
    // Messages stay a moment in transit to the phones: the phones' timers are claimed work too.
    const rule = await request(nodes[1]?.server?.url as string, "POST", "/sandbox/rules", {
      pattern: "4477008*",
      behaviour: "deliver",
      deliverDelayMs: 300,
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    const agent = keptAlive(CLIENTS * 2);
    const outcomes: Outcome[] = [];
    const phoneOf = (r: number) => (i: number) => PHONES[(r * PER_REQUEST + i) % PHONES.length] as string;
    let next = 0;
    const query: Query = (sql) => queryStore(url, "", sql);
    let heldAtKill: HeldClaims | undefined;
    let killed: { at: number; pending: number; outcomesAt: number } | undefined;
    const delivered = () =>
      new Set(
        rx
          .accepted("/dlr")
          .filter((a) => a.kind === "delivery")
          .map((a) => a.messageId),
      ).size;
    const okCount = () => outcomes.filter((o) => o.kind === "answered" && o.status === 200).length;

    const client = async () => {
      for (;;) {
        const r = next++;
        if (r >= REQUESTS) return;
        // Round-robin; a node that is down gets nothing (the load balancer's health check).
        const aimed = nodes[r % 2] as (typeof nodes)[number];
        const target = aimed.server ? aimed : (nodes[(r + 1) % 2] as (typeof nodes)[number]);
        const server = target.server as ChildServer;
        const id = `crash-${r}`;
        outcomes.push(
          await sendTemplates(
            server.url,
            target.name,
            agent,
            id,
            templateRequest(id, PER_REQUEST, phoneOf(r)),
          ),
        );
      }
    };
    const crash = async () => {
      await eventually(() => outcomes.length >= REQUESTS / 2, 120_000, "half the requests answered");
      const a = nodes[0] as (typeof nodes)[number];
      const victim = a.server as ChildServer;
      killed = {
        at: Date.now() - started,
        pending: okCount() * PER_REQUEST - delivered(),
        outcomesAt: outcomes.length,
      };
      a.server = undefined;
      await stopChild(victim.child, "SIGKILL");
      heldAtKill = await heldClaims(query, "node-a");
      // Started again as a new node (a replaced container): its old claims wait for their leases.
      a.name = "node-a2";
      a.server = await spawn("node-a2");
    };
    await Promise.all([...Array.from({ length: CLIENTS }, client), crash()]);
    const sentIn = Date.now() - started;
    await agent.close();
    assert.ok(killed, "a node was killed");
    assert.ok(
      killed.pending > 0,
      `the killed node's cluster had work in hand (${killed.pending} undelivered)`,
    );

    const statuses = tally(outcomes);
    for (const key of statuses.keys())
      assert.ok(
        /^(200|not-connected:.*|reset:.*)$/.test(key),
        `unexpected outcome ${key}: ${JSON.stringify([...statuses])}`,
      );
    const okRequests = new Set(
      outcomes.filter((o) => o.kind === "answered" && o.status === 200).map((o) => o.requestId),
    );
    // A request cut short by the kill may have been committed: its messages may go out too.
    const cut = new Set(outcomes.filter((o) => o.kind !== "answered").map((o) => o.requestId));
    const accepted = [...okRequests].flatMap((id) =>
      Array.from({ length: PER_REQUEST }, (_, i) => `${id}-${i}`),
    );
    assert.ok(accepted.length >= MESSAGES * 0.9, `most messages accepted (${accepted.length})`);

    await rx.waitForAll(accepted, "delivery", 120_000, "/dlr");
    const deliveredIn = Date.now() - started;
    // Nothing left to post anywhere in the cluster (the outbox is the database's).
    const b = nodes[1]?.server as ChildServer;
    await eventually(
      async () => (await request(b.url, "GET", "/healthz")).body?.webhooks?.pending === 0,
      30_000,
      "the outbox to drain",
    );

    // The dead node's claims were all taken over once their leases ran out, and finished.
    assert.deepEqual(
      Object.entries(await heldClaims(query, "node-a")).filter(([, n]) => n > 0),
      [],
      "no claim of the killed node left",
    );

    // Reports: one final status per message; a repeat of a report carries its first event id.
    const finals = new Map<string, Set<string>>();
    const eventIds = new Map<string, Set<string>>();
    let posts = 0;
    for (const a of rx.accepted("/dlr")) {
      if (a.kind !== "delivery" || !a.messageId) continue;
      posts++;
      const group = String(a.body.results[0].status.groupName);
      finals.set(a.messageId, (finals.get(a.messageId) ?? new Set()).add(group));
      const key = `${a.messageId} ${group}`;
      eventIds.set(key, (eventIds.get(key) ?? new Set()).add(a.eventId));
    }
    const notFinalOnce = accepted.filter((id) => finals.get(id)?.size !== 1);
    assert.deepEqual(
      notFinalOnce.slice(0, 10),
      [],
      `${notFinalOnce.length} messages without exactly one final status`,
    );
    const notDelivered = accepted.filter((id) => !finals.get(id)?.has("DELIVERED"));
    assert.deepEqual(notDelivered.slice(0, 10), [], `${notDelivered.length} messages not delivered`);
    const unstable = [...eventIds].filter(([, ids]) => ids.size !== 1).map(([k, ids]) => `${k}: ${[...ids]}`);
    assert.deepEqual(unstable.slice(0, 10), [], `${unstable.length} reports under more than one event id`);
    const strangers = [...finals.keys()].filter(
      (id) => !okRequests.has(requestOf(id)) && !cut.has(requestOf(id)),
    );
    assert.deepEqual(strangers.slice(0, 10), [], "reports only of messages sent");

    // Phones: each message received once, by its phone.
    const onPhones = new Map<string, number>();
    for (const phone of PHONES) {
      const res = await request(b.url, "GET", `/sandbox/phones/${phone}/messages`);
      assert.equal(res.status, 200);
      for (const m of res.body.messages as { messageId: string }[])
        onPhones.set(m.messageId, (onPhones.get(m.messageId) ?? 0) + 1);
    }
    const twice = [...onPhones].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
    assert.deepEqual(twice.slice(0, 10), [], `${twice.length} messages received more than once`);
    const missing = accepted.filter((id) => !onPhones.has(id));
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} accepted messages on no phone`);
    const extra = [...onPhones.keys()].filter(
      (id) => !okRequests.has(requestOf(id)) && !cut.has(requestOf(id)),
    );
    assert.deepEqual(extra.slice(0, 10), [], "phones hold only messages sent");

    // The store: every stored message in its final status, on its phone and reported — those of
    // a request cut after its commit too.
    const rows = await query("SELECT status, count(*) AS n FROM messages GROUP BY status");
    assert.deepEqual(
      rows.map((r) => r.status),
      ["delivered"],
      `stored statuses: ${JSON.stringify(rows)}`,
    );
    const stored = Number(rows[0]?.n);
    assert.ok(stored >= accepted.length, `stored ${stored}, accepted ${accepted.length}`);
    assert.equal(onPhones.size, stored, "every stored message on a phone");
    assert.equal(finals.size, stored, "every stored message reported");
    t.diagnostic(
      `${accepted.length} accepted in ${sentIn} ms, all delivered by ${deliveredIn} ms; killed at ${killed.at} ms ` +
        `with ${killed.pending} undelivered, holding ${JSON.stringify(heldAtKill)}; outcomes ${JSON.stringify([...statuses])}; ${posts} reports received ` +
        `for ${finals.size} messages (${posts - finals.size} repeats); ${onPhones.size} on phones`,
    );
  });
});
