/**
 * Infobip's Subscriptions API end to end: DELIVERY and SEEN routed to two receivers and
 * TEMPLATE_UPDATE to a third, by applicationId criteria; events no subscription takes go to the
 * account's default URL; a message's notifyUrl still wins; the delivery log lists attempts per
 * subscription; another account sees none of it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadInfobipContract } from "./support/contracts.ts";
import {
  eventually,
  outboxDrained,
  request,
  SENDER,
  sleep,
  startServer,
  type TestServer,
  welcome,
} from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const ADMIN_KEY = "admin-key-0123456789";

describe("Infobip event subscriptions", () => {
  let server: TestServer;
  const rx = new WebhookReceiver();
  /** The Infobip message ids the POSTs to `path` reported on. */
  const at = (path: string) =>
    rx.received
      .filter((r) => r.path === path)
      .flatMap((r) => (r.body?.results ?? []).map((x: { messageId?: string }) => x.messageId));

  before(async () => {
    await rx.start();
    server = await startServer({ OPENBSP_ADMIN_KEY: ADMIN_KEY, OPENBSP_DELIVERY_URL: `${rx.url}/default` });
  });
  after(async () => {
    await server.close();
    await rx.stop();
  });

  it("manages profiles and subscriptions in Infobip's shapes; bad input is a 400 naming the field", async () => {
    const p = await server.call("POST", "/subscriptions/1/profiles", {
      profileId: "deliveries",
      webhook: { notifyUrl: `${rx.url}/deliveries` },
    });
    assert.equal(p.status, 201);
    assert.deepEqual(p.body, { profileId: "deliveries", webhook: { notifyUrl: `${rx.url}/deliveries` } });
    const dup = await server.call("POST", "/subscriptions/1/profiles", {
      profileId: "deliveries",
      webhook: { notifyUrl: `${rx.url}/x` },
    });
    assert.equal(dup.status, 400);
    assert.ok(dup.body.requestError.serviceException.validationErrors.profileId);

    const s = await server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
      subscriptionId: "dlr-app-a",
      name: "Deliveries of app A",
      events: ["DELIVERY"],
      profile: { profileId: "deliveries" },
      criteria: [{ applicationId: "app-a" }],
    });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    // A profile can be defined inline, as Infobip allows.
    const seen = await server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
      subscriptionId: "seen-app-a",
      events: ["SEEN"],
      profile: { profileId: "seen", webhook: { notifyUrl: `${rx.url}/seen` } },
      criteria: [{ applicationId: "app-a" }],
    });
    assert.equal(seen.status, 201);
    const tpl = await server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
      subscriptionId: "templates-app-a",
      events: ["TEMPLATE_UPDATE"],
      profile: { profileId: "templates", webhook: { notifyUrl: `${rx.url}/templates` } },
      criteria: [{ applicationId: "app-a" }],
    });
    assert.equal(tpl.status, 201);

    const list = await server.call("GET", "/subscriptions/1/subscription/WHATSAPP");
    assert.deepEqual(
      list.body.results.map((x: { subscriptionId: string }) => x.subscriptionId),
      ["dlr-app-a", "seen-app-a", "templates-app-a"],
    );
    assert.equal(
      (await server.call("GET", "/subscriptions/1/subscription/WHATSAPP/dlr-app-a")).body.name,
      "Deliveries of app A",
    );
    const badEvent = await server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
      subscriptionId: "x",
      events: ["TELEPATHY"],
      profile: { profileId: "deliveries" },
    });
    assert.equal(badEvent.status, 400);
    const noProfile = await server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
      subscriptionId: "x",
      events: ["DELIVERY"],
      profile: { profileId: "nope" },
    });
    assert.equal(noProfile.status, 400);
    assert.ok(noProfile.body.requestError.serviceException.validationErrors["profile.profileId"]);
    assert.equal((await server.call("GET", "/subscriptions/1/subscription/SMS")).status, 400);
    const inUse = await server.call("DELETE", "/subscriptions/1/profiles/deliveries");
    assert.equal(inUse.status, 400, "a profile in use stays");
  });

  it("routes DELIVERY and SEEN of app A to their receivers, and app B's to the default URL", async () => {
    const send = (messageId: string, applicationId: string, extra: Record<string, unknown> = {}) =>
      server.call("POST", "/whatsapp/1/message/template", {
        messages: [welcome("447700906401", { messageId, applicationId, ...extra })],
      });
    assert.equal((await send("sub-a", "app-a")).status, 200);
    assert.equal((await send("sub-b", "app-b")).status, 200);
    assert.equal((await send("sub-own", "app-a", { notifyUrl: `${rx.url}/own` })).status, 200);
    await eventually(() => at("/seen").includes("sub-a"), 8000, "app A's seen report");
    await eventually(
      () => at("/default").filter((m) => m === "sub-b").length === 2,
      8000,
      "app B's two reports",
    );
    await eventually(
      () => at("/own").filter((m) => m === "sub-own").length === 2,
      8000,
      "the notifyUrl's two",
    );
    await outboxDrained(server);
    assert.deepEqual(at("/deliveries"), ["sub-a"], "only app A's delivery");
    assert.deepEqual(at("/seen"), ["sub-a"], "only app A's seen");
    assert.ok(!at("/default").includes("sub-a"), "a subscribed event skips the default");
    assert.ok(!at("/deliveries").includes("sub-own"), "notifyUrl beats subscriptions");
    const delivery = rx.received.find((r) => r.path === "/deliveries");
    assert.ok(delivery?.body.results[0].status, "in Infobip's delivery report shape");

    const log = await request(
      server.url,
      "GET",
      "/openbsp/1/webhook-attempts?subscriptionId=dlr-app-a",
      undefined,
      {
        authorization: `Bearer ${ADMIN_KEY}`,
      },
    );
    assert.ok(log.body.attempts.length >= 1);
    assert.ok(log.body.attempts.every((a: { subscriptionId: string }) => a.subscriptionId === "dlr-app-a"));
  });

  it("TEMPLATE_UPDATE of app A's template goes to the third receiver", async () => {
    const created = await server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, {
      name: "sub_update",
      language: "en",
      category: "UTILITY",
      structure: { body: { text: "Your code is ready, {{1}}.", examples: ["Ann"] } },
      platform: { applicationId: "app-a" },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await eventually(() => rx.received.some((r) => r.path === "/templates"), 8000, "the template update");
    const update = rx.received.find((r) => r.path === "/templates");
    assert.equal(update?.body.messageTemplateName, "sub_update");
    assert.equal(update?.body.change.type, "TEMPLATE_STATUS_UPDATE");
    assert.deepEqual(
      loadInfobipContract().webhook("receive-whatsapp-message-template-update-events", update?.body),
      [],
      "Infobip's template update event, per its OpenAPI document",
    );
    assert.ok(
      !rx.received.some((r) => r.path === "/default" && r.raw.includes("sub_update")),
      "not to the default",
    );
  });

  it("a profile's BASIC security puts Authorization: Basic on each POST; credentials are never read back; HMAC is a 501", async () => {
    const password = "hook-pass-0123";
    const p = await server.call("POST", "/subscriptions/1/profiles", {
      profileId: "secured",
      webhook: { notifyUrl: `${rx.url}/secured` },
      security: { authId: "auth-1", type: "BASIC", credentials: { username: "hook-user", password } },
    });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    assert.deepEqual(p.body.security, { authId: "auth-1", type: "BASIC" }, "the setting by id and type");
    // Another profile reuses the security setting by its id alone, as Infobip allows.
    const reuse = await server.call("POST", "/subscriptions/1/profiles", {
      profileId: "secured-too",
      webhook: { notifyUrl: `${rx.url}/secured-too` },
      security: { authId: "auth-1" },
    });
    assert.equal(reuse.status, 201);
    assert.deepEqual(reuse.body.security, { authId: "auth-1", type: "BASIC" });
    const unknown = await server.call("POST", "/subscriptions/1/profiles", {
      profileId: "x1",
      webhook: { notifyUrl: `${rx.url}/x` },
      security: { authId: "nope" },
    });
    assert.equal(unknown.status, 400);
    assert.ok(unknown.body.requestError.serviceException.validationErrors["security.authId"]);
    const noPassword = await server.call("POST", "/subscriptions/1/profiles", {
      profileId: "x2",
      webhook: { notifyUrl: `${rx.url}/x` },
      security: { authId: "auth-2", type: "BASIC", credentials: { username: "u" } },
    });
    assert.equal(noPassword.status, 400);
    assert.ok(
      noPassword.body.requestError.serviceException.validationErrors["security.credentials.password"],
    );
    // Infobip's docs at hand name HMAC's credentials but not its header: unbuilt, and said so.
    const hmac = await server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
      subscriptionId: "hmac-sub",
      events: ["DELIVERY"],
      profile: {
        profileId: "hmac",
        webhook: { notifyUrl: `${rx.url}/hmac` },
        security: {
          authId: "auth-h",
          type: "HMAC",
          credentials: { secretKey: "k", algorithm: "HMAC_SHA_256" },
        },
      },
    });
    assert.equal(hmac.status, 501);
    assert.match(
      hmac.body.requestError.serviceException.validationErrors["profile.security.type"][0],
      /not built/,
    );
    assert.equal(
      (await server.call("GET", "/subscriptions/1/subscription/WHATSAPP/hmac-sub")).status,
      404,
      "nothing was made",
    );

    const sub = await server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
      subscriptionId: "dlr-secured",
      events: ["DELIVERY"],
      profile: { profileId: "secured" },
      criteria: [{ applicationId: "app-sec" }],
    });
    assert.equal(sub.status, 201);
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906402", { messageId: "sub-sec", applicationId: "app-sec" })],
    });
    const got = await eventually(
      () => rx.received.find((r) => r.path === "/secured"),
      8000,
      "the secured profile's report",
    );
    const auth = String(got.headers.authorization);
    assert.match(auth, /^Basic /);
    assert.equal(Buffer.from(auth.slice(6), "base64").toString("utf8"), `hook-user:${password}`);
    assert.ok(
      rx.received.filter((r) => r.path !== "/secured").every((r) => r.headers.authorization === undefined),
      "only that profile's POSTs carry it",
    );

    // Security settings on their own (Infobip's /subscriptions/1/security): a changed password is
    // what the profiles using them send next (the sender's view of the account is at most a second old).
    const listed = await server.call("GET", "/subscriptions/1/security");
    assert.deepEqual(listed.body.results, [{ authId: "auth-1", type: "BASIC" }]);
    assert.equal((await server.call("DELETE", "/subscriptions/1/security/auth-1")).status, 400, "in use");
    const newPassword = "hook-pass-4567";
    const changed = await server.call("PUT", "/subscriptions/1/security/auth-1", {
      type: "BASIC",
      credentials: { username: "hook-user", password: newPassword },
    });
    assert.deepEqual(changed.body, { authId: "auth-1", type: "BASIC" });
    const own = await server.call("POST", "/subscriptions/1/security", {
      authId: "auth-own",
      type: "BASIC",
      credentials: { username: "other", password: "other-pass-1" },
    });
    assert.deepEqual([own.status, own.body], [201, { authId: "auth-own" }]);
    assert.equal((await server.call("DELETE", "/subscriptions/1/security/auth-own")).status, 204, "unused");
    assert.equal((await server.call("GET", "/subscriptions/1/security/auth-own")).status, 404);
    await sleep(1100);
    await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome("447700906402", { messageId: "sub-sec-2", applicationId: "app-sec" })],
    });
    const next = await eventually(
      () => rx.received.find((r) => r.path === "/secured" && r.body.results[0].messageId === "sub-sec-2"),
      8000,
      "the report after the change",
    );
    assert.equal(
      Buffer.from(String(next.headers.authorization).slice(6), "base64").toString("utf8"),
      `hook-user:${newPassword}`,
    );

    const reads = [
      await server.call("GET", "/subscriptions/1/security"),
      await server.call("GET", "/subscriptions/1/security/auth-1"),
      await server.call("GET", "/subscriptions/1/profiles"),
      await server.call("GET", "/subscriptions/1/profiles/secured"),
      await server.call("GET", "/subscriptions/1/subscription/WHATSAPP"),
      await request(server.url, "GET", "/openbsp/1/accounts/acc-default/settings", undefined, {
        authorization: `Bearer ${ADMIN_KEY}`,
      }),
    ];
    for (const r of reads) {
      assert.equal(r.status, 200);
      assert.ok(!JSON.stringify(r.body).includes(password), "the password is never read back");
      assert.ok(!JSON.stringify(r.body).includes(newPassword));
    }
  });

  it("another account sees no subscription or profile of this one", async () => {
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const other = await request(server.url, "POST", "/openbsp/1/accounts", { name: "Other" }, admin);
    const key = (
      await request(server.url, "POST", `/openbsp/1/accounts/${other.body.id}/api-keys`, {}, admin)
    ).body.key;
    const as = { authorization: `App ${key}` };
    const list = await request(server.url, "GET", "/subscriptions/1/subscription/WHATSAPP", undefined, as);
    assert.deepEqual(list.body.results, []);
    assert.equal(
      (await request(server.url, "GET", "/subscriptions/1/subscription/WHATSAPP/dlr-app-a", undefined, as))
        .status,
      404,
    );
    assert.equal(
      (await request(server.url, "GET", "/subscriptions/1/profiles/deliveries", undefined, as)).status,
      404,
    );
    assert.equal(
      (await request(server.url, "DELETE", "/subscriptions/1/subscription/WHATSAPP/dlr-app-a", undefined, as))
        .status,
      404,
    );
    assert.equal(
      (await server.call("GET", "/subscriptions/1/subscription/WHATSAPP/dlr-app-a")).status,
      200,
      "still there",
    );
    await sleep(1);
  });
});
