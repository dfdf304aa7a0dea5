/**
 * Subscriptions kept as rows of their own (SubscriptionStore), end to end: many subscriptions
 * created at once on one account through Infobip's API are all kept and all route (the JSON kept
 * in the account's settings before lost all but one of changes made at once); and, on PostgreSQL,
 * a subscription made through one node routes the reports of messages another node delivers, though
 * that node had the account's subscriptions cached.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventually, startServer, type TestServer, welcome } from "./support/harness.ts";
import { postgresUnavailable } from "./support/postgres.ts";
import { startTwoNodes, type TwoNodes } from "./support/two-nodes.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const reportsOf = (rx: WebhookReceiver, path: string, messageId: string) =>
  rx.received.some(
    (r) =>
      r.path === path &&
      (r.body?.results ?? []).some((x: { messageId?: string }) => x.messageId === messageId),
  );

describe("subscriptions made at once on one account", () => {
  let server: TestServer;
  const rx = new WebhookReceiver();
  before(async () => {
    await rx.start();
    server = await startServer({ OPENBSP_DELIVERY_URL: `${rx.url}/default` });
  });
  after(async () => {
    await server.close();
    await rx.stop();
  });

  it("are all kept, with their inline profiles, and each routes the reports it takes", async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `at-once-${i}`);
    const made = await Promise.all(
      ids.map((id) =>
        server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
          subscriptionId: id,
          events: ["DELIVERY"],
          profile: { profileId: `p-${id}`, webhook: { notifyUrl: `${rx.url}/${id}` } },
          criteria: [{ applicationId: "app-at-once" }],
        }),
      ),
    );
    assert.deepEqual(
      made.map((m) => m.status),
      ids.map(() => 201),
    );
    const listed = await server.call("GET", "/subscriptions/1/subscription/WHATSAPP");
    assert.deepEqual(
      (listed.body.results as { subscriptionId: string }[]).map((s) => s.subscriptionId).sort(),
      [...ids].sort(),
    );
    const profiles = await server.call("GET", "/subscriptions/1/profiles");
    assert.deepEqual(
      (profiles.body.results as { profileId: string }[]).map((p) => p.profileId).sort(),
      ids.map((id) => `p-${id}`).sort(),
    );

    const sent = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906301", { messageId: "at-once-msg", applicationId: "app-at-once" })],
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    for (const id of ids)
      await eventually(() => reportsOf(rx, `/${id}`, "at-once-msg"), 10_000, `the report at /${id}`);
    assert.ok(!reportsOf(rx, "/default", "at-once-msg"), "subscriptions took it: not the default URL");
  });
});

const unavailable = await postgresUnavailable();

describe("a subscription made through one node of two", { skip: unavailable }, () => {
  const rx = new WebhookReceiver();
  let nodes: TwoNodes | undefined;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    await rx.start();
    nodes = await startTwoNodes("subs", {
      OPENBSP_DELIVERY_URL: `${rx.url}/default`,
    });
    ({ a, b } = nodes);
  });
  after(async () => {
    await nodes?.close();
    await rx.stop();
  });

  it("routes the reports of a message sent through the other, which had the account's subscriptions cached", async () => {
    // Node b reads (and caches) the account's subscriptions: none yet.
    const none = await b.call("GET", "/subscriptions/1/subscription/WHATSAPP");
    assert.deepEqual(none.body.results, []);
    const made = await a.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
      subscriptionId: "through-a",
      events: ["DELIVERY"],
      profile: { profileId: "p-a", webhook: { notifyUrl: `${rx.url}/through-a` } },
    });
    assert.equal(made.status, 201);
    await eventually(
      async () =>
        ((await b.call("GET", "/subscriptions/1/subscription/WHATSAPP")).body.results as unknown[]).length ===
        1,
      10_000,
      "node b lists the subscription",
    );
    const sent = await b.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906302", { messageId: "via-b" })],
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await eventually(
      () => reportsOf(rx, "/through-a", "via-b"),
      10_000,
      "the report at the subscription's URL",
    );
  });
});
