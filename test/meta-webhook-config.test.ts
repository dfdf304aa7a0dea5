/**
 * Meta's webhook configuration through Meta's own Graph calls: the app's subscription
 * (`/{app-id}/subscriptions`), a WABA's override (`/{waba-id}/subscribed_apps`) and a phone
 * number's (`POST /{phone-number-id}` `webhook_configuration`). Each change runs the hub.challenge
 * handshake first (a receiver that does not echo gets Graph's 2200 and nothing changes); events go
 * to the most specific level (phone number > WABA > app > the account's default), removing a level
 * restores the one below, the app's fields decide what is sent at all, and X-Hub-Signature-256 uses
 * the app secret set through the admin API. Answers are checked against Meta's OpenAPI document
 * where it has the path.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkContract } from "./support/contracts.ts";
import {
  eventually,
  outboxDrained,
  request,
  SENDER,
  startServer,
  type TestServer,
} from "./support/harness.ts";
import { metaCall, PHONE_ID, signatureOk, type Value, WABA_ID } from "./support/meta.ts";
import { type Received, WebhookReceiver } from "./support/webhook-receiver.ts";

const ADMIN_KEY = "admin-key-0123456789";
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const TOKEN = "my-verify-token";
const USER = "447700906601";
const SUBSCRIBED_APPS = "/{Version}/{WABA-ID}/subscribed_apps";

describe("Meta webhook configuration: app subscriptions, WABA and phone number overrides", () => {
  let server: TestServer;
  /** Echoes the challenge for TOKEN on every path. */
  const hooks = new WebhookReceiver();
  /** Answers the handshake with `{}`: never verified. */
  const deaf = new WebhookReceiver();
  let appId = "";
  let keyB = "";
  let appIdB = "";
  let n = 0;

  const adminCall = (method: string, path: string, body?: unknown) =>
    request(server.url, method, `/openbsp/1${path}`, body, admin);

  /** The text of the inbound message a Meta webhook carries. */
  const textOf = (r: Received): string | undefined =>
    r.body?.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.text?.body;

  /** A user writes to the sender; resolves with the text it wrote. */
  const userWrites = async (): Promise<string> => {
    const text = `hello ${++n}`;
    const res = await server.call("POST", `/sandbox/phones/${USER}/messages`, { to: SENDER, text });
    assert.ok(res.status < 300, JSON.stringify(res.body));
    return text;
  };

  /** The path the Meta webhook of a new inbound message arrived on. */
  const inboundPath = async (): Promise<string> => {
    const text = await userWrites();
    const r = await eventually(
      () => hooks.received.find((x) => textOf(x) === text),
      5000,
      `the webhook of "${text}"`,
    );
    return r.path;
  };

  /** Template status webhooks (field message_template_status_update) of `name`, with their paths. */
  const templateStatuses = (name: string) =>
    hooks.received.flatMap((r) =>
      (r.body?.entry?.[0]?.changes ?? [])
        .filter(
          (c: Value) =>
            c.field === "message_template_status_update" && c.value.message_template_name === name,
        )
        .map((c: Value) => ({ path: r.path, event: c.value.event as string })),
    );

  /** Registers a template on the WABA and waits until it is reviewed (its webhooks are queued by then). */
  const reviewedTemplate = async (name: string): Promise<void> => {
    const created = await metaCall(server.url, "POST", `/v23.0/${WABA_ID}/message_templates`, {
      name,
      language: "en",
      category: "UTILITY",
      components: [{ type: "BODY", text: "Your order is ready." }],
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    await eventually(
      async () => (await metaCall(server.url, "GET", `/v23.0/${created.body.id}`)).body.status === "APPROVED",
      5000,
      `${name} reviewed`,
    );
  };

  const subscribeApp = (body: Record<string, unknown>, id = appId, token?: string) =>
    metaCall(server.url, "POST", `/v23.0/${id}/subscriptions`, body, token);

  before(async () => {
    hooks.verifyToken = TOKEN;
    await hooks.start();
    await deaf.start();
    server = await startServer({ OPENBSP_ADMIN_KEY: ADMIN_KEY });
    // The account's default callback, as today (admin API), verified the same way.
    const set = await adminCall("PATCH", "/accounts/acc-default/settings", {
      meta: { webhookUrl: `${hooks.url}/default`, verifyToken: TOKEN },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    appId = (await adminCall("GET", "/accounts/acc-default")).body.metaAppId;
    assert.match(appId, /^\d{16}$/);
    const b = await adminCall("POST", "/accounts", { name: "B" });
    appIdB = b.body.metaAppId;
    keyB = (await adminCall("POST", `/accounts/${b.body.id}/api-keys`, {})).body.key;
    assert.notEqual(appIdB, appId, "each account has its own app");
  });
  after(async () => {
    await server.close();
    await hooks.stop();
    await deaf.stop();
  });

  it("an app subscription takes effect only once its callback echoed hub.challenge", async (t) => {
    assert.equal(await inboundPath(), "/default", "before any subscription: the account's default");
    assert.deepEqual((await metaCall(server.url, "GET", `/v23.0/${appId}/subscriptions`)).body, { data: [] });

    const refused = await subscribeApp({
      object: "whatsapp_business_account",
      callback_url: `${deaf.url}/app`,
      verify_token: TOKEN,
      fields: "messages",
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 2200);
    assert.match(
      refused.body.error.message,
      /^\(#2200\) Callback verification failed with the following errors: /,
    );
    await checkContract(t, "meta", (c) => assert.deepEqual(c.schema("GraphAPIError", refused.body), []));
    const asked = deaf.handshakes.at(-1);
    assert.equal(asked?.get("hub.verify_token"), TOKEN, "the handshake was tried, with the verify token");
    assert.match(asked?.get("hub.challenge") ?? "", /^\d+$/);
    assert.deepEqual((await metaCall(server.url, "GET", `/v23.0/${appId}/subscriptions`)).body, { data: [] });
    assert.equal(await inboundPath(), "/default", "nothing changed");
    assert.deepEqual(deaf.received, [], "the unverified callback got no event");

    const missingToken = await subscribeApp({
      object: "whatsapp_business_account",
      callback_url: `${hooks.url}/app`,
      fields: "messages",
    });
    assert.equal(missingToken.status, 400);
    assert.match(missingToken.body.error.error_data.details, /verify_token/);

    const ok = await subscribeApp({
      object: "whatsapp_business_account",
      callback_url: `${hooks.url}/app`,
      verify_token: TOKEN,
      fields: ["messages"],
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body, { success: true });
    const listed = await metaCall(server.url, "GET", `/v23.0/${appId}/subscriptions`);
    assert.deepEqual(listed.body, {
      data: [
        {
          object: "whatsapp_business_account",
          callback_url: `${hooks.url}/app`,
          active: true,
          fields: [{ name: "messages", version: "v23.0" }],
        },
      ],
    });
    assert.equal(await inboundPath(), "/app", "events go to the app's callback now");
  });

  it("another account's app, WABA and phone number are objects its token cannot see", async () => {
    const own = (await metaCall(server.url, "GET", `/v23.0/${appIdB}/subscriptions`, undefined, keyB)).body;
    assert.deepEqual(own, { data: [] }, "B sees its own app");
    const calls = [
      subscribeApp({ object: "whatsapp_business_account", fields: "messages" }, appId, keyB),
      metaCall(server.url, "GET", `/v23.0/${appId}/subscriptions`, undefined, keyB),
      metaCall(server.url, "DELETE", `/v23.0/${appId}/subscriptions`, undefined, keyB),
      metaCall(server.url, "GET", `/v23.0/${appIdB}/subscriptions`),
      metaCall(server.url, "POST", `/v23.0/${WABA_ID}/subscribed_apps`, {}, keyB),
      metaCall(server.url, "GET", `/v23.0/${WABA_ID}/subscribed_apps`, undefined, keyB),
      metaCall(server.url, "DELETE", `/v23.0/${WABA_ID}/subscribed_apps`, undefined, keyB),
      metaCall(
        server.url,
        "POST",
        `/v23.0/${PHONE_ID}`,
        { webhook_configuration: { override_callback_uri: "" } },
        keyB,
      ),
    ];
    for (const res of await Promise.all(calls)) {
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 100);
      assert.equal(res.body.error.error_subcode, 33);
    }
    assert.equal(
      (await metaCall(server.url, "GET", `/v23.0/${appId}/subscriptions`)).body.data[0].callback_url,
      `${hooks.url}/app`,
      "A's subscription is untouched",
    );
  });

  it("a WABA override takes its events, a phone number override beats it, and removing each restores the level below", async (t) => {
    const refused = await metaCall(server.url, "POST", `/v23.0/${WABA_ID}/subscribed_apps`, {
      override_callback_uri: `${deaf.url}/waba`,
      verify_token: TOKEN,
    });
    assert.equal(refused.body.error?.code, 2200, JSON.stringify(refused.body));
    assert.equal(await inboundPath(), "/app", "a failed handshake changes nothing");

    const body = { override_callback_uri: `${hooks.url}/waba`, verify_token: TOKEN };
    const waba = await metaCall(server.url, "POST", `/v23.0/${WABA_ID}/subscribed_apps`, body);
    assert.deepEqual(waba.body, { success: true });
    const listed = await metaCall(server.url, "GET", `/v23.0/${WABA_ID}/subscribed_apps`);
    assert.equal(listed.body.data[0].whatsapp_business_api_data.id, appId);
    assert.equal(listed.body.data[0].override_callback_uri, `${hooks.url}/waba`);
    await checkContract(t, "meta", (c) => {
      assert.deepEqual(c.request("post", SUBSCRIBED_APPS, body), []);
      assert.deepEqual(c.response("post", SUBSCRIBED_APPS, 200, waba.body), []);
      assert.deepEqual(c.response("get", SUBSCRIBED_APPS, 200, listed.body), []);
    });
    assert.equal(await inboundPath(), "/waba");

    // The statuses of a message the business sends go there too (field messages).
    const sent = await metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: USER,
      type: "text",
      text: { body: "we are on it" },
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const wamid = sent.body.messages[0].id;
    const status = await eventually(
      () => hooks.received.find((r) => r.body?.entry?.[0]?.changes?.[0]?.value?.statuses?.[0]?.id === wamid),
      5000,
      "a status of the message",
    );
    assert.equal(status.path, "/waba");

    const deafPhone = await metaCall(server.url, "POST", `/v23.0/${PHONE_ID}`, {
      webhook_configuration: { override_callback_uri: `${deaf.url}/phone`, verify_token: TOKEN },
    });
    assert.equal(deafPhone.body.error?.code, 2200, JSON.stringify(deafPhone.body));

    const phoneBody = {
      webhook_configuration: { override_callback_uri: `${hooks.url}/phone`, verify_token: TOKEN },
    };
    const phone = await metaCall(server.url, "POST", `/v23.0/${PHONE_ID}`, phoneBody);
    assert.deepEqual(phone.body, { success: true });
    await checkContract(t, "meta", (c) =>
      assert.deepEqual(c.request("post", "/{Version}/{Phone-Number-ID}", phoneBody), []),
    );
    const config = await metaCall(server.url, "GET", `/v23.0/${PHONE_ID}?fields=webhook_configuration`);
    assert.deepEqual(config.body.webhook_configuration, {
      phone_number: `${hooks.url}/phone`,
      whatsapp_business_account: `${hooks.url}/waba`,
      application: `${hooks.url}/app`,
    });
    assert.equal(config.body.id, PHONE_ID);
    assert.equal(await inboundPath(), "/phone", "the phone number's override beats the WABA's");

    const cleared = await metaCall(server.url, "POST", `/v23.0/${PHONE_ID}`, {
      webhook_configuration: { override_callback_uri: "" },
    });
    assert.deepEqual(cleared.body, { success: true });
    assert.equal(await inboundPath(), "/waba", "without the number's override: the WABA's");

    const unsubscribed = await metaCall(server.url, "DELETE", `/v23.0/${WABA_ID}/subscribed_apps`);
    assert.deepEqual(unsubscribed.body, { success: true });
    await checkContract(t, "meta", (c) =>
      assert.deepEqual(c.response("delete", SUBSCRIBED_APPS, 200, unsubscribed.body), []),
    );
    assert.equal(
      (await metaCall(server.url, "GET", `/v23.0/${WABA_ID}/subscribed_apps`)).body.data[0]
        .override_callback_uri,
      undefined,
    );
    assert.equal(await inboundPath(), "/app", "without the WABA's: the app's callback");
  });

  it("the app's fields decide what is sent; template statuses ignore the overrides", async () => {
    // Subscribed to messages only: a template's review is sent nowhere.
    await reviewedTemplate("fields_probe_one");
    await outboxDrained(server);
    assert.deepEqual(templateStatuses("fields_probe_one"), [], "no message_template_status_update webhook");

    // Fields are added by a form body (as `curl -d` sends it), without a new callback: no handshake.
    const handshakes = hooks.handshakes.length;
    const form = await fetch(`${server.url}/v23.0/${appId}/subscriptions`, {
      method: "POST",
      headers: {
        authorization: `Bearer test-api-key-0001`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        object: "whatsapp_business_account",
        fields: "message_template_status_update",
      }),
    });
    assert.deepEqual(await form.json(), { success: true });
    assert.equal(hooks.handshakes.length, handshakes, "adding fields needs no handshake");
    const fields = (await metaCall(server.url, "GET", `/v23.0/${appId}/subscriptions`)).body.data[0].fields;
    assert.deepEqual(
      fields.map((f: { name: string }) => f.name),
      ["messages", "message_template_status_update"],
    );

    // With a WABA override set, the template status still goes to the app's callback (as at Meta).
    await metaCall(server.url, "POST", `/v23.0/${WABA_ID}/subscribed_apps`, {
      override_callback_uri: `${hooks.url}/waba`,
      verify_token: TOKEN,
    });
    await reviewedTemplate("fields_probe_two");
    const two = await eventually(
      () => templateStatuses("fields_probe_two")[0],
      5000,
      "the template's status",
    );
    assert.deepEqual(two, { path: "/app", event: "APPROVED" });
    assert.equal(await inboundPath(), "/waba", "messages still follow the override");
    await metaCall(server.url, "DELETE", `/v23.0/${WABA_ID}/subscribed_apps`);

    // Dropping messages: an inbound message is sent nowhere, template statuses still are.
    const dropped = await metaCall(
      server.url,
      "DELETE",
      `/v23.0/${appId}/subscriptions?object=whatsapp_business_account&fields=messages`,
    );
    assert.deepEqual(dropped.body, { success: true });
    const text = await userWrites();
    await outboxDrained(server);
    assert.equal(
      hooks.received.find((r) => textOf(r) === text),
      undefined,
      "no messages webhook",
    );

    // The whole subscription removed: back to the account's default, for every field.
    const removed = await metaCall(server.url, "DELETE", `/v23.0/${appId}/subscriptions`);
    assert.deepEqual(removed.body, { success: true });
    assert.deepEqual((await metaCall(server.url, "GET", `/v23.0/${appId}/subscriptions`)).body, { data: [] });
    assert.equal(await inboundPath(), "/default");
  });

  it("X-Hub-Signature-256 is made with the app secret set through the admin API, on every level's callback", async () => {
    const secret = "app-secret-set-by-api";
    const set = await adminCall("PATCH", "/accounts/acc-default/settings", { meta: { appSecret: secret } });
    assert.equal(set.status, 200);
    assert.equal(set.body.meta.appSecret, "<redacted>");
    await subscribeApp({
      object: "whatsapp_business_account",
      callback_url: `${hooks.url}/app`,
      verify_token: TOKEN,
      fields: "messages",
    });
    const atApp = await userWrites();
    const app = await eventually(() => hooks.received.find((r) => textOf(r) === atApp), 5000, "at the app");
    assert.equal(app.path, "/app");
    assert.ok(signatureOk(app, secret), "signed with the secret set through the API");
    assert.ok(!signatureOk(app, "another-secret-0001"));
    assert.equal(app.headers["webhook-signature"], undefined, "Meta's webhooks carry Meta's signature only");

    await metaCall(server.url, "POST", `/v23.0/${PHONE_ID}`, {
      webhook_configuration: { override_callback_uri: `${hooks.url}/phone`, verify_token: TOKEN },
    });
    const atPhone = await userWrites();
    const phone = await eventually(
      () => hooks.received.find((r) => textOf(r) === atPhone),
      5000,
      "at the phone",
    );
    assert.equal(phone.path, "/phone");
    assert.ok(signatureOk(phone, secret));

    const rotated = "app-secret-rotated-02";
    await adminCall("PATCH", "/accounts/acc-default/settings", { meta: { appSecret: rotated } });
    const later = await userWrites();
    const after = await eventually(
      () => hooks.received.find((r) => textOf(r) === later),
      5000,
      "after rotation",
    );
    assert.ok(signatureOk(after, rotated), "a new secret signs from then on");
  });
  it("Meta's app access token {app-id}|{app-secret} opens the app's own subscriptions, and nothing else", async () => {
    const secret = "app-secret-for-token";
    await adminCall("PATCH", "/accounts/acc-default/settings", { meta: { appSecret: secret } });
    const token = `${appId}|${secret}`;
    const listed = await metaCall(server.url, "GET", `/v23.0/${appId}/subscriptions`, undefined, token);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.equal(listed.body.data[0].callback_url, `${hooks.url}/app`);
    const inQuery = await request(
      server.url,
      "GET",
      `/${appId}/subscriptions?access_token=${encodeURIComponent(token)}`,
    );
    assert.equal(inQuery.status, 200, "as the access_token parameter too");
    const refused = [
      metaCall(server.url, "GET", `/v23.0/${appId}/subscriptions`, undefined, `${appId}|not-the-secret`),
      metaCall(server.url, "GET", `/v23.0/${appIdB}/subscriptions`, undefined, token),
      metaCall(server.url, "GET", `/v23.0/${appIdB}/subscriptions`, undefined, `${appIdB}|${secret}`),
      metaCall(server.url, "GET", `/v23.0/${WABA_ID}/subscribed_apps`, undefined, token),
      metaCall(server.url, "GET", `/v23.0/${PHONE_ID}`, undefined, token),
    ];
    for (const res of await Promise.all(refused)) {
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 190);
    }
  });
});
