import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import {
  eventually,
  outboxDrained,
  request,
  startServer,
  type TestServer,
  welcome,
} from "./support/harness.ts";
import { type Attempt, RecordingReceiver } from "./support/recording-receiver.ts";

/** A longer retry schedule (about 9 s) so an outage of a second or two never exhausts it. */
const PATIENT_RETRY_MS = "100,200,300,400,500,500,500,500,500,500,500,500,500,500,500,500,500,500,500,500";

/** Sends one template message to each number, `perRequest` to a request; returns the message ids. */
async function sendTo(
  server: TestServer,
  numbers: readonly string[],
  perRequest = 5,
  extra: Record<string, unknown> = {},
) {
  const ids: string[] = [];
  for (let i = 0; i < numbers.length; i += perRequest) {
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: numbers.slice(i, i + perRequest).map((n) => welcome(n, extra)),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    for (const m of res.body.messages) ids.push(m.messageId);
  }
  return ids;
}

const numbers = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`);

/**
 * The fewest attempts made so far on any pending webhook, read from the store's table (the API does
 * not show attempts): how many times every pending report has been tried at least.
 */
async function fewestAttempts(server: TestServer): Promise<number> {
  const [row] = await server.query("SELECT min(attempts) AS n FROM webhooks WHERE state = 'pending'");
  return Number(row?.n ?? 0);
}

async function health(server: TestServer) {
  const res = await request(server.url, "GET", "/healthz");
  assert.equal(res.status, 200);
  return res.body.webhooks as { pending: number; delivered: number; failed: number };
}

/**
 * Exactly one event id per (messageId, report kind), on every attempt; an event id may carry the
 * reports of several messages (one POST, Infobip's `results[]`), but always the same ones.
 */
function assertOneEventIdPerReport(
  rx: RecordingReceiver,
  messageIds: readonly string[],
  kinds: readonly string[],
) {
  const byReport = rx.eventIdsByReport();
  for (const id of messageIds) {
    for (const kind of kinds) {
      const ids = byReport.get(`${id} ${kind}`);
      assert.ok(ids, `a ${kind} report for ${id}`);
      assert.equal(ids.size, 1, `one event id for the ${kind} report of ${id}, got ${[...ids].join(", ")}`);
    }
  }
  const perEvent = new Map<string, Map<string, number>>();
  for (const a of rx.attempts) {
    const reports = perEvent.get(a.eventId) ?? new Map<string, number>();
    const key = `${a.messageId} ${a.kind}`;
    reports.set(key, (reports.get(key) ?? 0) + 1);
    perEvent.set(a.eventId, reports);
  }
  for (const [eventId, reports] of perEvent) {
    assert.equal(new Set(reports.values()).size, 1, `every attempt of ${eventId} carries the same reports`);
  }
  for (const a of rx.attempts) {
    assert.match(a.eventId, /\S/, "every attempt carries a webhook-id");
    assert.equal(a.headers["x-openbsp-event-id"], a.eventId, "x-openbsp-event-id equals webhook-id");
  }
}

describe("webhook delivery", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setUp(env: Record<string, string> = {}) {
    const rx = await new RecordingReceiver().start();
    cleanups.push(() => rx.stop());
    const server = await startServer({ OPENBSP_DELIVERY_URL: `${rx.url}/dlr`, ...env });
    cleanups.push(() => server.close());
    return { rx, server };
  }

  it("retries through a receiver answering 503, with the same event id on every attempt", async () => {
    const { rx, server } = await setUp({ OPENBSP_WEBHOOK_RETRY_MS: PATIENT_RETRY_MS });
    let healthy = false;
    rx.respond = () => ({ status: healthy ? 200 : 503 });

    const ids = await sendTo(server, numbers("447700901", 20));
    assert.equal(new Set(ids).size, 20);
    // Let every report be refused at least once (delivery at once, seen after 150 ms).
    await eventually(
      () => new Set(rx.refused().map((a) => `${a.messageId} ${a.kind}`)).size >= 40,
      5000,
      "40 reports refused",
    );
    // And refused again: every report is retried while the receiver still fails.
    await eventually(
      () => {
        const refusals = new Map<string, number>();
        for (const a of rx.refused())
          refusals.set(`${a.messageId} ${a.kind}`, (refusals.get(`${a.messageId} ${a.kind}`) ?? 0) + 1);
        return refusals.size >= 40 && [...refusals.values()].every((n) => n >= 2);
      },
      5000,
      "40 reports refused twice",
    );
    healthy = true;

    await rx.waitForAll(ids, "delivery");
    await rx.waitForAll(ids, "seen");
    await outboxDrained(server); // nothing left to retry: any stray repeat has arrived

    for (const id of ids) {
      const dlr = rx.accepted().find((a) => a.kind === "delivery" && a.messageId === id);
      assert.equal(dlr?.body.results[0].status.groupName, "DELIVERED");
    }
    assertOneEventIdPerReport(rx, ids, ["delivery", "seen"]);
    // Every refused event was retried under its own id, and that id is the one finally accepted.
    const acceptedIds = new Set(rx.accepted().map((a) => a.eventId));
    for (const a of rx.refused())
      assert.ok(acceptedIds.has(a.eventId), `refused event ${a.eventId} accepted later`);
    // Standard Webhooks: webhook-timestamp is the time of the attempt (the clock is not moved
    // here), so it never goes back from one attempt of an event to the next.
    const stamps = new Map<string, number[]>();
    for (const a of rx.attempts) {
      const stamp = Number(a.headers["webhook-timestamp"]);
      assert.ok(
        Math.abs(stamp - Math.floor(a.at / 1000)) <= 1,
        `webhook-timestamp ${stamp} is the attempt's time ${a.at}`,
      );
      stamps.set(a.eventId, [...(stamps.get(a.eventId) ?? []), stamp]);
    }
    for (const [id, s] of stamps)
      assert.deepEqual(
        s,
        [...s].sort((x, y) => x - y),
        `webhook-timestamps of ${id} in attempt order`,
      );

    await eventually(async () => (await health(server)).delivered === 40, 3000, "40 delivered in /healthz");
    assert.deepEqual(await health(server), { pending: 0, delivered: 40, failed: 0 });
  });

  it("stamps every attempt with its own time: a retry carries a later webhook-timestamp, same webhook-id", async () => {
    // One retry 1.2 to 1.8 s later (seconds are the header's unit), a phone that never reads:
    // one report, two attempts.
    const { rx, server } = await setUp({
      OPENBSP_WEBHOOK_RETRY_MS: "1500",
      OPENBSP_SANDBOX_READ_DELAY_MS: "86400000",
    });
    rx.respond = (_a, previous) => ({ status: previous.length === 0 ? 503 : 200 });
    const [id] = await sendTo(server, ["447700901900"], 1);
    await rx.waitForAll([id as string], "delivery");
    const [first] = rx.refused();
    const [retry] = rx.accepted();
    assert.equal(rx.attempts.length, 2);
    assert.equal(first?.messageId, id);
    assert.equal(retry?.eventId, first?.eventId, "the retry keeps its webhook-id");
    const stampOf = (a: Attempt | undefined) => Number(a?.headers["webhook-timestamp"]);
    for (const a of [first, retry]) {
      const sec = Math.floor((a?.at ?? 0) / 1000);
      assert.ok(
        stampOf(a) >= sec - 1 && stampOf(a) <= sec,
        `stamped ${stampOf(a)} when sent, received at ${a?.at}`,
      );
    }
    assert.ok((retry?.at ?? 0) - (first?.at ?? 0) >= 1000, "the retry came more than a second later");
    assert.ok(
      stampOf(retry) > stampOf(first),
      `the retry is stamped ${stampOf(retry)}, after the first attempt's ${stampOf(first)}`,
    );
  });

  it("delivers every report once a receiver that refused connections comes back on the same port", async () => {
    const { rx, server } = await setUp({ OPENBSP_WEBHOOK_RETRY_MS: PATIENT_RETRY_MS });
    const port = new URL(rx.url).port;
    await rx.stop();

    const ids = await sendTo(server, numbers("447700902", 10));
    await eventually(async () => (await health(server)).pending === 20, 5000, "20 reports pending");
    await eventually(async () => (await fewestAttempts(server)) >= 3, 5000, "every report tried three times"); // several failed connection attempts
    assert.equal(rx.attempts.length, 0);
    assert.deepEqual(await health(server), { pending: 20, delivered: 0, failed: 0 });

    await rx.start();
    assert.equal(new URL(rx.url).port, port);
    await rx.waitForAll(ids, "delivery");
    await rx.waitForAll(ids, "seen");
    assertOneEventIdPerReport(rx, ids, ["delivery", "seen"]);
    await eventually(async () => (await health(server)).delivered === 20, 3000, "20 delivered in /healthz");
    assert.deepEqual(await health(server), { pending: 0, delivered: 20, failed: 0 });
  });

  it("retries a 429 and honours its Retry-After", async () => {
    const { rx, server } = await setUp();
    rx.respond = (_a, previous) =>
      previous.length === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 };

    const ids = await sendTo(server, numbers("447700903", 3));
    await rx.waitForAll(ids, "delivery");
    await rx.waitForAll(ids, "seen");
    assertOneEventIdPerReport(rx, ids, ["delivery", "seen"]);

    // One POST may carry several of the 6 reports: look at the POSTs of each event id.
    const byEvent = new Map<string, Attempt[]>();
    for (const a of rx.attempts) byEvent.set(a.eventId, [...(byEvent.get(a.eventId) ?? []), a]);
    assert.ok(byEvent.size >= 2, "delivery and seen reports travel in different POSTs");
    for (const [id, attempts] of byEvent) {
      const posts = attempts.filter(
        (a, i) => attempts.findIndex((b) => b.at === a.at && b.status === a.status) === i,
      );
      const [first, second] = posts;
      assert.ok(first && second, `${id} was attempted twice`);
      assert.equal(first.status, 429, `first attempt of ${id} refused`);
      assert.equal(second.status, 200, `second attempt of ${id} accepted`);
      // Without Retry-After the first retry comes after 80-120 ms; the header asks for more.
      assert.ok(
        second.at - first.at >= 150,
        `Retry-After honoured for ${id}: waited ${second.at - first.at} ms`,
      );
    }
    await eventually(async () => (await health(server)).delivered === 6, 3000, "6 delivered in /healthz");
    assert.deepEqual(await health(server), { pending: 0, delivered: 6, failed: 0 });
  });

  it("gives up on a 400 at once and counts it as failed in /healthz", async () => {
    const { rx, server } = await setUp();
    rx.respond = (a) => (a.path === "/reject" ? { status: 400 } : { status: 200 });
    assert.equal((await health(server)).failed, 0);

    const [id] = await sendTo(server, ["447700904000"], 1, { notifyUrl: `${rx.url}/reject` });
    await eventually(
      async () => (await health(server)).failed === 2,
      5000,
      "the delivery and seen reports given up",
    );
    await outboxDrained(server); // nothing left to retry: nothing more may come
    const attempts = rx.attempts.filter((a) => a.path === "/reject");
    assert.deepEqual(attempts.map((a) => [a.messageId, a.kind, a.status]).sort(), [
      [id, "delivery", 400],
      [id, "seen", 400],
    ]);
    assert.equal(rx.attempts.length, 2, "nothing went to the account URL either");
    assert.deepEqual(await health(server), { pending: 0, delivered: 0, failed: 2 });
  });

  it("keeps pending reports across a restart and delivers them when the receiver comes back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openbsp-restart-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const rx = await new RecordingReceiver().start();
    cleanups.push(() => rx.stop());
    await rx.stop();
    const env = {
      OPENBSP_DATA_DIR: dir,
      OPENBSP_DELIVERY_URL: `${rx.url}/dlr`,
      OPENBSP_WEBHOOK_RETRY_MS: PATIENT_RETRY_MS,
    };

    const first = await startServer(env);
    let ids: string[];
    try {
      ids = await sendTo(first, numbers("447700905", 10));
      await eventually(async () => (await health(first)).pending === 20, 5000, "20 reports pending");
    } finally {
      await first.close();
    }
    assert.equal(rx.attempts.length, 0);

    const second = await startServer(env);
    cleanups.push(() => second.close());
    assert.deepEqual(await health(second), { pending: 20, delivered: 0, failed: 0 });
    await rx.start();
    await rx.waitForAll(ids, "delivery");
    await rx.waitForAll(ids, "seen");
    assertOneEventIdPerReport(rx, ids, ["delivery", "seen"]);
    for (const a of rx.accepted().filter((x) => x.kind === "delivery")) {
      assert.equal(a.body.results[0].status.groupName, "DELIVERED");
    }
    await eventually(async () => (await health(second)).delivered === 20, 3000, "20 delivered in /healthz");
    const phone = await second.call("GET", "/sandbox/phones/447700905000/messages");
    assert.equal(phone.body.messages.length, 1, "the restart did not send the message again");
  });

  it("does not let a slow receiver hold up the reports of another", async () => {
    const { rx, server } = await setUp({ OPENBSP_SANDBOX_READ_DELAY_MS: "86400000" });
    const slow = await new RecordingReceiver().start();
    cleanups.push(() => slow.stop());
    slow.respond = () => ({ status: 200, delayMs: 3000 });
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700905101", { messageId: "to-slow", notifyUrl: `${slow.url}/slow` })],
    });
    await eventually(() => slow.inFlight > 0, 3000, "the slow receiver to be busy");
    const sentAt = Date.now();
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700905102", { messageId: "to-fast" })],
    });
    await eventually(() => rx.hasAll(["to-fast"], "delivery"), 2500, "the fast receiver's report");
    assert.ok(Date.now() - sentAt < 2500, "the fast report did not wait for the slow receiver");
    assert.ok(slow.inFlight > 0, "the slow receiver is still answering");
  });
});
