/**
 * The webhook delivery log end to end: every attempt listed (by message, event, time) with what
 * the receiver answered; replay of one event and of a range under the same event ids; a receiver
 * down for a moved-clock week disabled, its webhooks kept, and sent once each when re-enabled.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Webhook } from "standardwebhooks";
import {
  eventually,
  outboxDrained,
  request,
  sleep,
  startServer,
  type TestServer,
  welcome,
} from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const ADMIN_KEY = "admin-key-0123456789";
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const adminCall = (server: TestServer, method: string, path: string, body?: unknown) =>
  request(server.url, method, `/openbsp/1${path}`, body, admin);
const ids = (rx: WebhookReceiver) => rx.received.map((r) => String(r.headers["webhook-id"]));
/** The Infobip message ids a received report POST is about. */
const reported = (rx: WebhookReceiver) =>
  rx.received.flatMap((r) => (r.body?.results ?? []).map((x: { messageId: string }) => x.messageId));

describe("webhook delivery log and replay", () => {
  let server: TestServer;
  const rx = new WebhookReceiver();
  before(async () => {
    await rx.start();
    server = await startServer({ OPENBSP_ADMIN_KEY: ADMIN_KEY });
  });
  after(async () => {
    await server.close();
    await rx.stop();
  });

  it("lists each attempt per message with status, first bytes, size and latency; failures with their error", async () => {
    rx.failWith = 503;
    const res = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906001", { messageId: "log-1", notifyUrl: `${rx.url}/dlr` })],
    });
    assert.equal(res.status, 200);
    await eventually(() => rx.failures >= 1, 5000, "a failed attempt");
    rx.failWith = undefined;
    await eventually(() => reported(rx).includes("log-1"), 8000, "the report, after retries");
    await eventually(
      async () => {
        const log = await adminCall(server, "GET", "/webhook-attempts?messageId=log-1");
        return log.body.attempts.some((a: { ok: boolean }) => a.ok) && log.body.attempts;
      },
      5000,
      "the successful attempt in the log",
    );
    const { attempts } = (await adminCall(server, "GET", "/webhook-attempts?messageId=log-1")).body;
    const failed = attempts.find((a: { ok: boolean }) => !a.ok);
    const ok = attempts.find((a: { ok: boolean }) => a.ok);
    assert.equal(failed.status, 503);
    assert.match(failed.error, /503/);
    assert.equal(ok.status, 200);
    assert.equal(ok.responseHead, "{}");
    assert.equal(ok.url, `${rx.url}/dlr`);
    assert.equal(ok.accountId, "acc-default");
    assert.ok(ok.requestBytes > 50, "the request's size");
    assert.ok(ok.latencyMs >= 0);
    assert.deepEqual(ok.messageIds, ["log-1"]);
    assert.ok(
      attempts.every((a: { messageIds: string[] }) => a.messageIds.includes("log-1")),
      "only that message",
    );

    // The event's later, good attempt is logged with the sender's next round.
    await eventually(
      async () => {
        const byEvent = await adminCall(server, "GET", `/webhook-attempts?eventId=${failed.eventId}`);
        const outcomes = byEvent.body.attempts.map((a: { ok: boolean }) => a.ok);
        return outcomes.includes(true) && outcomes.includes(false);
      },
      5000,
      "the failed and the good attempt of one event",
    );
    const none = await adminCall(
      server,
      "GET",
      `/webhook-attempts?messageId=log-1&to=${encodeURIComponent("2000-01-01T00:00:00Z")}`,
    );
    assert.deepEqual(none.body.attempts, [], "a time range that holds none");
    const bad = await adminCall(server, "GET", "/webhook-attempts?from=yesterday");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, "from");
  });

  it("replays one event under the same id, and a time range", async () => {
    const before = Date.parse((await server.call("GET", "/sandbox/clock")).body.now);
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906002", { messageId: "log-2", notifyUrl: `${rx.url}/dlr` })],
    });
    await eventually(() => reported(rx).includes("log-2"), 5000, "the report");
    await outboxDrained(server);
    const post = rx.received.find((r) => r.body?.results?.[0]?.messageId === "log-2");
    const eventId = String(post?.headers["webhook-id"]);
    const count = () => ids(rx).filter((id) => id === eventId).length;
    const n = count();

    const replay = await adminCall(server, "POST", `/webhook-events/${eventId}/replay`);
    assert.equal(replay.status, 202);
    await eventually(() => count() === n + 1, 5000, "the replayed event");
    const again = rx.received.filter((r) => r.headers["webhook-id"] === eventId);
    assert.equal(again.at(-1)?.raw, again[0]?.raw, "the same body");
    const event = await eventually(
      async () => {
        const e = await adminCall(server, "GET", `/webhook-events/${eventId}`);
        return e.body.state === "delivered" ? e : undefined;
      },
      3000,
      "the replay marked delivered",
    );
    assert.deepEqual(event.body.messageIds, ["log-2"]);
    assert.equal((await adminCall(server, "POST", "/webhook-events/nope/replay")).status, 404);

    await outboxDrained(server);
    const range = await adminCall(server, "POST", "/webhook-events/replay", {
      from: new Date(before).toISOString(),
      to: new Date(before + 3_600_000).toISOString(),
      accountId: "acc-default",
    });
    assert.equal(range.status, 202);
    assert.ok(range.body.replayed >= 1);
    await eventually(() => count() === n + 2, 5000, "the event replayed with its range");
  });
});

describe("an endpoint down for a week is disabled, and re-enabled sends what was kept once", () => {
  let server: TestServer;
  const rx = new WebhookReceiver();
  before(async () => {
    await rx.start();
    server = await startServer({
      OPENBSP_ADMIN_KEY: ADMIN_KEY,
      OPENBSP_DELIVERY_URL: `${rx.url}/dlr`,
      OPENBSP_WEBHOOK_RETRY_MS: "50,50",
    });
  });
  after(async () => {
    await server.close();
    await rx.stop();
  });

  it("fails, is disabled after the window, keeps its webhooks as dead letters, then delivers each once", async () => {
    const url = `${rx.url}/dlr`;
    rx.failWith = 503;
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906101", { messageId: "dl-1" })],
    });
    await eventually(
      async () => {
        const { endpoints } = (await adminCall(server, "GET", "/webhook-endpoints?accountId=acc-default"))
          .body;
        return endpoints.some((e: { url: string; failingSince?: string }) => e.url === url && e.failingSince);
      },
      5000,
      "the endpoint failing",
    );
    await outboxDrained(server, 8000); // given up on: the short schedule ran out
    assert.equal(
      (await adminCall(server, "GET", "/webhook-endpoints")).body.endpoints[0].disabledAt,
      undefined,
      "not disabled within the window",
    );

    await server.call("POST", "/sandbox/clock/advance", { ms: 7 * 86_400_000 });
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906101", { messageId: "dl-2" })],
    });
    const disabled = await eventually(
      async () => {
        const { endpoints } = (await adminCall(server, "GET", "/webhook-endpoints?accountId=acc-default"))
          .body;
        return endpoints.find((e: { url: string; disabledAt?: string }) => e.url === url && e.disabledAt);
      },
      8000,
      "the endpoint disabled",
    );
    assert.ok(disabled.deadLetters >= 2, `kept: ${disabled.deadLetters}`);

    // The receiver is back, but a disabled endpoint gets nothing, not even new reports.
    rx.failWith = undefined;
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906101", { messageId: "dl-3" })],
    });
    await sleep(800);
    assert.deepEqual(rx.received, []);

    const enabled = await adminCall(server, "POST", "/webhook-endpoints/enable", {
      accountId: "acc-default",
      url,
    });
    assert.equal(enabled.status, 200);
    assert.ok(enabled.body.requeued >= 3);
    await eventually(
      () => ["dl-1", "dl-2", "dl-3"].every((m) => reported(rx).includes(m)),
      8000,
      "every kept report",
    );
    await outboxDrained(server);
    await sleep(300);
    const seen = ids(rx);
    assert.equal(new Set(seen).size, seen.length, "each event once");
    assert.equal(seen.length, enabled.body.requeued, "all that was kept, no more");
    const again = await adminCall(server, "POST", "/webhook-endpoints/enable", {
      accountId: "acc-default",
      url,
    });
    assert.equal(again.status, 404, "enabled already");
  });
});

describe("a subscription's endpoint disabled tells the account by event; re-enabled, what was kept arrives once", () => {
  let server: TestServer;
  const down = new WebhookReceiver();
  const account = new WebhookReceiver();
  before(async () => {
    await down.start();
    await account.start();
    server = await startServer({ OPENBSP_ADMIN_KEY: ADMIN_KEY, OPENBSP_WEBHOOK_RETRY_MS: "50,50" });
  });
  after(async () => {
    await server.close();
    await down.stop();
    await account.stop();
  });

  it("sends WEBHOOK_ENDPOINT_DISABLED to the TEMPLATE_UPDATE subscriptions, lists the endpoint, then delivers the dead letters once", async () => {
    const url = `${down.url}/dlr`;
    const subscribe = (subscriptionId: string, events: string[], notifyUrl: string, criteria?: unknown[]) =>
      server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
        subscriptionId,
        events,
        profile: { profileId: subscriptionId, webhook: { notifyUrl } },
        ...(criteria ? { criteria } : {}),
      });
    assert.equal((await subscribe("dlr", ["DELIVERY", "SEEN"], url)).status, 201);
    // Its criteria name an application: an account event goes to it all the same.
    const tpl = await subscribe("account-events", ["TEMPLATE_UPDATE"], `${account.url}/events`, [
      { applicationId: "app-x" },
    ]);
    assert.equal(tpl.status, 201);
    const notices = () =>
      account.received.filter((r) => r.body?.change?.type === "WEBHOOK_ENDPOINT_DISABLED");

    down.failWith = 503;
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906111", { messageId: "sdl-1" })],
    });
    await eventually(() => down.failures >= 1, 5000, "the subscription's endpoint failing");
    await outboxDrained(server, 8000);
    assert.deepEqual(notices(), [], "not within the window");

    await server.call("POST", "/sandbox/clock/advance", { ms: 7 * 86_400_000 });
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906111", { messageId: "sdl-2" })],
    });
    const notice = await eventually(() => notices()[0], 8000, "the account event");
    assert.equal(notice.body.change.notifyUrl, url);
    assert.ok(notice.body.change.failingSince < notice.body.change.disabledAt);
    assert.equal(notice.body.timestamp, notice.body.change.disabledAt);
    assert.ok(notice.headers["webhook-signature"], "signed, with the receiving subscription's secret");
    // The moved clock puts webhook-timestamp a week ahead, so the signature is checked without
    // standardwebhooks' freshness window: the one it computes for the id, time and body is sent.
    const expected = new Webhook(tpl.body.webhookSecret).sign(
      String(notice.headers["webhook-id"]),
      new Date(Number(notice.headers["webhook-timestamp"]) * 1000),
      notice.raw,
    );
    assert.ok(String(notice.headers["webhook-signature"]).split(" ").includes(expected));
    const { endpoints } = (await adminCall(server, "GET", "/webhook-endpoints?accountId=acc-default")).body;
    const listed = endpoints.find((e: { url: string }) => e.url === url);
    assert.ok(listed?.disabledAt, "the API lists it disabled");
    assert.ok(listed.deadLetters >= 2);

    down.failWith = undefined;
    await outboxDrained(server);
    await sleep(300);
    assert.equal(notices().length, 1, "told once");
    assert.deepEqual(down.received, [], "nothing to a disabled endpoint");
    const enabled = await adminCall(server, "POST", "/webhook-endpoints/enable", {
      accountId: "acc-default",
      url,
    });
    assert.equal(enabled.status, 200);
    await eventually(
      () => ["sdl-1", "sdl-2"].every((m) => reported(down).includes(m)),
      8000,
      "every kept report",
    );
    await outboxDrained(server);
    await sleep(300);
    const seen = ids(down);
    assert.equal(new Set(seen).size, seen.length, "each event once");
    assert.equal(seen.length, enabled.body.requeued, "all that was kept, no more");
    assert.ok(
      down.on("/dlr").every((r) => r.headers["webhook-signature"]),
      "still signed with the subscription's secret",
    );
    assert.equal(notices().length, 1, "enabling tells nothing more");
  });
});
