/**
 * The admin API end to end: a second business onboarded through it alone (account, key, sender,
 * settings), sending on each face with its new key and getting its reports where its settings
 * say; a revoked key refused at once; the admin key and account keys each only where they belong.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  API_KEY,
  eventually,
  request,
  SENDER,
  startServer,
  type TestServer,
  welcome,
} from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const ADMIN_KEY = "admin-key-0123456789";
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const USER = "447700900321";
const NUMBER = "441134960777";

describe("admin API", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const adminCall = (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) =>
    request(server.url, method, `/openbsp/1${path}`, body, headers);

  before(async () => {
    await hooks.start();
    server = await startServer({ OPENBSP_ADMIN_KEY: ADMIN_KEY });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("answers only to the admin key: none, a wrong one or an account's key is a 401 in its own body", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer wrong-key-000000000" },
      { authorization: `Bearer ${API_KEY}` },
    ]) {
      const res = await adminCall("GET", "/accounts", undefined, headers);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "UNAUTHORIZED");
      assert.equal(res.body.error.field, "authorization");
    }
    const ok = await adminCall("GET", "/accounts");
    assert.equal(ok.status, 200);
    assert.deepEqual(
      ok.body.accounts.map((a: { id: string }) => a.id),
      ["acc-default"],
      "the seeded account is made through the same code",
    );
  });

  it("the admin key opens no face", async () => {
    const infobip = await request(
      server.url,
      "POST",
      "/whatsapp/1/message/template",
      { messages: [] },
      {
        authorization: `App ${ADMIN_KEY}`,
      },
    );
    assert.equal(infobip.status, 401);
    const meta = await request(server.url, "GET", "/v23.0/100000000000003", undefined, admin);
    assert.equal(meta.status, 401);
    const sinch = await request(server.url, "POST", "/whatsapp/v1/openbspbot/messages", {}, admin);
    assert.equal(sinch.status, 401);
  });

  it("bad input is a 400 naming the field; unknown ids are 404s", async () => {
    const noName = await adminCall("POST", "/accounts", {});
    assert.equal(noName.status, 400);
    assert.equal(noName.body.error.field, "name");
    const extra = await adminCall("POST", "/accounts", { name: "x", colour: "red" });
    assert.equal(extra.status, 400);
    assert.equal(extra.body.error.field, "colour");
    const badNumber = await adminCall("POST", "/accounts/acc-default/senders", { number: "+44 1134" });
    assert.equal(badNumber.status, 400);
    assert.equal(badNumber.body.error.field, "number");
    const badUrl = await adminCall("PATCH", "/accounts/acc-default/settings", {
      infobip: { deliveryUrl: "ftp://x" },
    });
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.body.error.field, "infobip.deliveryUrl");
    const missing = await adminCall("POST", "/accounts/acc-nope/api-keys", {});
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.field, "accountId");
    assert.equal((await adminCall("DELETE", "/accounts/acc-default/api-keys/key-nope")).status, 404);
  });

  it("onboards a business: account, key, sender, settings; it sends on each face and gets its own reports", async () => {
    const account = await adminCall("POST", "/accounts", { name: "Shop", businessVerified: true });
    assert.equal(account.status, 201);
    assert.match(account.body.id, /^acc-/);
    const id = account.body.id as string;

    const made = await adminCall("POST", `/accounts/${id}/api-keys`, { name: "backend" });
    assert.equal(made.status, 201);
    const key = made.body.key as string;
    assert.match(key, /^obsp_/);
    assert.equal(made.body.hint, key.slice(-4));

    const listed = await adminCall("GET", `/accounts/${id}/api-keys`);
    assert.equal(listed.body.apiKeys.length, 1);
    assert.equal(listed.body.apiKeys[0].id, made.body.id);
    assert.ok(!JSON.stringify(listed.body).includes(key), "the secret is never listed");

    const sender = await adminCall("POST", `/accounts/${id}/senders`, {
      number: NUMBER,
      throughputTier: "TIER_1K",
    });
    assert.equal(sender.status, 201);
    assert.equal(sender.body.number, NUMBER);
    assert.match(sender.body.wabaId, /^[1-9]\d{14}$/);
    assert.match(sender.body.metaPhoneNumberId, /^[1-9]\d{14}$/);
    assert.match(sender.body.sinchBotId, /^bot[0-9a-f]{12}$/);
    assert.equal(sender.body.throughputTier, "TIER_1K");

    const settings = await adminCall("PATCH", `/accounts/${id}/settings`, {
      infobip: { deliveryUrl: `${hooks.url}/infobip` },
      meta: { webhookUrl: `${hooks.url}/meta`, appSecret: "shop-app-secret" },
      sinch: { callbackUrl: `${hooks.url}/sinch` },
    });
    assert.equal(settings.status, 200);
    assert.equal(settings.body.meta.appSecret, "<redacted>", "secrets are never read back");
    assert.equal(settings.body.infobip.deliveryUrl, `${hooks.url}/infobip`);

    // A template of its own (verified: approved at once), then one send on each face.
    const template = await request(
      server.url,
      "POST",
      `/whatsapp/2/senders/${NUMBER}/templates`,
      {
        name: "shop_hello",
        language: "en",
        category: "UTILITY",
        structure: { body: { text: "Hi {{1}}, your order is ready.", examples: ["Ann"] } },
      },
      { authorization: `App ${key}` },
    );
    assert.equal(template.status, 201, JSON.stringify(template.body));
    assert.equal(template.body.status, "APPROVED");

    const infobip = await request(
      server.url,
      "POST",
      "/whatsapp/1/message/template",
      {
        messages: [
          {
            from: NUMBER,
            to: USER,
            messageId: "shop-ib-1",
            content: {
              templateName: "shop_hello",
              language: "en",
              templateData: { body: { placeholders: ["Ann"] } },
            },
          },
        ],
      },
      { authorization: `App ${key}` },
    );
    assert.equal(infobip.status, 200, JSON.stringify(infobip.body));
    const meta = await request(
      server.url,
      "POST",
      `/v23.0/${sender.body.metaPhoneNumberId}/messages`,
      {
        messaging_product: "whatsapp",
        to: USER,
        type: "template",
        template: {
          name: "shop_hello",
          language: { code: "en" },
          components: [{ type: "body", parameters: [{ type: "text", text: "Bo" }] }],
        },
      },
      { authorization: `Bearer ${key}` },
    );
    assert.equal(meta.status, 200, JSON.stringify(meta.body));
    const sinch = await request(
      server.url,
      "POST",
      `/whatsapp/v1/${sender.body.sinchBotId}/messages`,
      { to: [USER], message: { type: "template", template_name: "shop_hello", body_params: ["Cy"] } },
      { authorization: `Bearer ${key}` },
    );
    assert.equal(sinch.status, 201, JSON.stringify(sinch.body));

    await eventually(
      async () => {
        const phone = await server.call("GET", `/sandbox/phones/${USER}/messages`);
        return phone.body.messages?.filter((m: { from: string }) => m.from === NUMBER).length === 3;
      },
      8000,
      "three messages from the new sender on the phone",
    );
    await eventually(() => hooks.received.some((r) => r.path === "/infobip"), 8000, "Infobip report");
    await eventually(() => hooks.received.some((r) => r.path === "/meta"), 8000, "Meta status");
    await eventually(() => hooks.received.some((r) => r.path === "/sinch"), 8000, "Sinch callback");
    const metaHook = hooks.received.find((r) => r.path === "/meta");
    assert.match(
      String(metaHook?.headers["x-hub-signature-256"]),
      /^sha256=[0-9a-f]{64}$/,
      "signed with its app secret",
    );

    // The seeded account cannot send from the new business's number.
    const foreign = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          from: NUMBER,
          to: USER,
          content: {
            templateName: "welcome",
            language: "en",
            templateData: { body: { placeholders: ["x"] } },
          },
        },
      ],
    });
    assert.ok(foreign.status >= 400 && foreign.status < 500, `refused: ${foreign.status}`);

    // Revoked: every face refuses the key at once.
    assert.equal((await adminCall("DELETE", `/accounts/${id}/api-keys/${made.body.id}`)).status, 204);
    const after = await request(server.url, "GET", `/whatsapp/2/senders/${NUMBER}/templates`, undefined, {
      authorization: `App ${key}`,
    });
    assert.equal(after.status, 401);
    const metaAfter = await request(server.url, "GET", `/v23.0/${sender.body.metaPhoneNumberId}`, undefined, {
      authorization: `Bearer ${key}`,
    });
    assert.equal(metaAfter.status, 401);
    const revoked = await adminCall("GET", `/accounts/${id}/api-keys`);
    assert.ok(revoked.body.apiKeys[0].revokedAt, "listed as revoked");
    // The seeded account's configured key still works.
    assert.equal((await server.call("GET", `/whatsapp/2/senders/${SENDER}/templates`)).status, 200);
  });

  it("refuses a number or WABA that is another account's, and hides another account's sender", async () => {
    const other = await adminCall("POST", "/accounts", { name: "Other" });
    const id = other.body.id as string;
    const taken = await adminCall("POST", `/accounts/${id}/senders`, { number: SENDER });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.field, "number");
    const waba = await adminCall("POST", `/accounts/${id}/senders`, {
      number: "441134960778",
      wabaId: "100000000000001",
    });
    assert.equal(waba.status, 409);
    assert.equal(waba.body.error.field, "wabaId");
    assert.equal((await adminCall("GET", `/accounts/${id}/senders/${SENDER}`)).status, 404);
    assert.equal((await adminCall("DELETE", `/accounts/${id}/senders/${SENDER}`)).status, 404);
    assert.equal((await adminCall("GET", `/accounts/acc-default/senders/${SENDER}`)).status, 200);
  });

  it("a sender's throughputMps set through it paces that sender's dispatch; a bad one is a 400 naming it", async () => {
    const bad = await adminCall("POST", "/accounts/acc-default/senders", {
      number: "441134960780",
      throughputMps: -1,
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, "throughputMps");
    const fraction = await adminCall("POST", "/accounts/acc-default/senders", {
      number: "441134960780",
      throughputMps: 2.5,
    });
    assert.equal(fraction.status, 400);
    assert.equal(fraction.body.error.field, "throughputMps");

    // The seeded account's second number (its WABA, so its "welcome" template), at 4 messages/s.
    const TIER = 4;
    const made = await adminCall("POST", "/accounts/acc-default/senders", {
      number: "441134960780",
      throughputMps: TIER,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.throughputMps, TIER);
    assert.equal(
      (await adminCall("GET", "/accounts/acc-default/senders/441134960780")).body.throughputMps,
      TIER,
    );

    // The server's own tier is 1,000/s (the harness's): only the sender's own can spread this burst.
    const phones = Array.from({ length: 3 * TIER }, (_, i) => `4477009530${String(i).padStart(2, "0")}`);
    const sentAt = Date.now();
    const res = await request(
      server.url,
      "POST",
      "/whatsapp/1/message/template",
      {
        messages: phones.map((to) => ({ ...welcome(to), from: "441134960780" })),
      },
      { authorization: `App ${API_KEY}` },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const times = await eventually(
      async () => {
        const at: number[] = [];
        for (const n of phones) {
          const got = (await request(server.url, "GET", `/sandbox/phones/${n}/messages`)).body.messages?.[0];
          if (got?.receivedAt === undefined) return undefined;
          at.push(Date.parse(got.receivedAt));
        }
        return at;
      },
      15_000,
      "every phone received its message",
    );
    // Slots 250 ms apart: the k-th message is never received before k × 250 ms after the burst.
    for (const [k, at] of times.entries())
      assert.ok(at >= sentAt + (k * 1000) / TIER - 100, `message ${k} came before its slot`);
  });

  it("deleting an account stops its keys at once and frees its number", async () => {
    const acc = (await adminCall("POST", "/accounts", { name: "Gone" })).body.id as string;
    const key = (await adminCall("POST", `/accounts/${acc}/api-keys`)).body.key as string;
    await adminCall("POST", `/accounts/${acc}/senders`, { number: "441134960779" });
    const auth = { authorization: `App ${key}` };
    assert.equal(
      (await request(server.url, "GET", "/whatsapp/2/senders/441134960779/templates", undefined, auth))
        .status,
      200,
    );
    assert.equal((await adminCall("DELETE", `/accounts/${acc}`)).status, 204);
    assert.equal(
      (await request(server.url, "GET", "/whatsapp/2/senders/441134960779/templates", undefined, auth))
        .status,
      401,
    );
    assert.equal((await adminCall("GET", `/accounts/${acc}`)).status, 404);
  });

  it("a Meta callback with a verify token takes effect only after the hub.challenge handshake", async () => {
    let token = "right-token";
    const shaker: Server = createServer((req, res) => {
      const q = new URL(req.url ?? "/", "http://x").searchParams;
      const ok = q.get("hub.mode") === "subscribe" && q.get("hub.verify_token") === token;
      res.writeHead(ok ? 200 : 403).end(ok ? (q.get("hub.challenge") ?? "") : "");
    });
    await new Promise<void>((r) => shaker.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(shaker.address() as AddressInfo).port}/hook`;
    try {
      const acc = (await adminCall("POST", "/accounts", { name: "Meta shop" })).body.id as string;
      token = "other-token";
      const refused = await adminCall("PATCH", `/accounts/${acc}/settings`, {
        meta: { webhookUrl: url, verifyToken: "right-token" },
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.field, "meta.webhookUrl");
      assert.deepEqual((await adminCall("GET", `/accounts/${acc}/settings`)).body, {}, "nothing changed");
      token = "right-token";
      const ok = await adminCall("PATCH", `/accounts/${acc}/settings`, {
        meta: { webhookUrl: url, verifyToken: "right-token" },
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.meta.webhookUrl, url);
      assert.equal(ok.body.meta.verifyToken, "<redacted>");
    } finally {
      shaker.closeAllConnections();
      await new Promise<void>((r) => shaker.close(() => r()));
    }
  });
});

describe("admin API without OPENBSP_ADMIN_KEY", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it("is off: 403 saying which setting turns it on", async () => {
    const res = await request(server.url, "GET", "/openbsp/1/accounts", undefined, admin);
    assert.equal(res.status, 403);
    assert.match(res.body.error.message, /OPENBSP_ADMIN_KEY/);
  });
});
