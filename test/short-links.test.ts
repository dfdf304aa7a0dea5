/**
 * URL shortening and click tracking (Infobip's urlOptions and templates' shorteningOptions): the
 * phone receives short links served by OpenBSP, opening one redirects to the original and, when
 * tracked, POSTs a CLICK report through the webhook outbox; custom domains are registered per
 * account and a template's domain is the only one its sends may use.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { after, before, describe, it, type TestContext } from "node:test";
import { checkContract } from "./support/contracts.ts";
import { eventually, outboxDrained, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const DOMAIN = "go.example.com";
const TEMPLATES = `/whatsapp/2/senders/${SENDER}/templates`;

/** A GET that does not follow redirects, optionally under another Host (a custom domain). */
function open(
  base: string,
  path: string,
  host?: string,
): Promise<{ status: number; location: string | undefined }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        headers: { "user-agent": "test-phone/1.0", ...(host ? { host } : {}) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

function validRequest(t: TestContext, path: string, body: unknown) {
  return checkContract(t, "infobip", (c) =>
    assert.deepEqual(c.request("post", path, body), [], "a valid Infobip request"),
  );
}

describe("URL shortening and click tracking", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const user = "447700908001";

  before(async () => {
    await hooks.start();
    server = await startServer({ OPENBSP_BUSINESS_VERIFIED: "true" });
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi, send me links" });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  async function sendText(
    t: TestContext,
    messageId: string,
    text: string,
    urlOptions?: Record<string, unknown>,
  ) {
    const body = {
      from: SENDER,
      to: user,
      messageId,
      content: { text },
      ...(urlOptions ? { urlOptions } : {}),
    };
    await validRequest(t, "/whatsapp/1/message/text", body);
    return server.call("POST", "/whatsapp/1/message/text", body);
  }

  async function received(messageId: string) {
    return eventually(
      async () => {
        const phone = await server.call("GET", `/sandbox/phones/${user}/messages`);
        return phone.body.messages.find((m: { messageId: string }) => m.messageId === messageId);
      },
      5000,
      `message ${messageId} on the phone`,
    );
  }

  it("leaves the text alone without urlOptions", async (t) => {
    const text = "Your order: https://shop.example.com/orders/42?x=1 thanks";
    assert.equal((await sendText(t, "sl-plain", text)).status, 200);
    assert.equal((await received("sl-plain")).content.text, text);
  });

  it("shortens every link of a text; the short link redirects to the original", async (t) => {
    const long = "https://shop.example.com/orders/42?utm_source=whatsapp&utm_medium=chat";
    const res = await sendText(t, "sl-short", `Track it at ${long}. Or see https://example.org/help`, {
      shortenUrl: true,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const text: string = (await received("sl-short")).content.text;
    const links = [...text.matchAll(/http:\/\/127\.0\.0\.1:\d+\/s\/([0-9A-Za-z]{10})/g)];
    assert.equal(links.length, 2, text);
    assert.match(text, /^Track it at http:\/\/\S+\/s\/[0-9A-Za-z]{10}\. Or see http:\/\/\S+$/);
    assert.ok(!text.includes("shop.example.com"));
    const first = await open(server.url, `/s/${links[0]?.[1]}`);
    assert.equal(first.status, 302);
    assert.equal(first.location, long);
    assert.equal((await open(server.url, `/s/${links[1]?.[1]}`)).location, "https://example.org/help");
    assert.equal((await open(server.url, "/s/0000000000")).status, 404);
  });

  it("drops the protocol from the shown link with removeProtocol", async (t) => {
    await sendText(t, "sl-noproto", "See https://example.org/a", { removeProtocol: true });
    const text: string = (await received("sl-noproto")).content.text;
    assert.match(text, /^See 127\.0\.0\.1:\d+\/s\/[0-9A-Za-z]{10}$/);
  });

  it("makes the same short link for a retried send, and keeps it", async (t) => {
    const first = await sendText(t, "sl-retry", "Go https://example.org/retry", { shortenUrl: true });
    const again = await sendText(t, "sl-retry", "Go https://example.org/retry", { shortenUrl: true });
    assert.equal(first.status, 200);
    assert.equal(again.status, 200);
    assert.notEqual(again.body.status.name, "REJECTED_DUPLICATE_MESSAGE_ID", "the retry is the same message");
    const text: string = (await received("sl-retry")).content.text;
    const code = /\/s\/([0-9A-Za-z]{10})$/.exec(text)?.[1];
    assert.ok(code, text);
    assert.equal((await open(server.url, `/s/${code}`)).location, "https://example.org/retry");
  });

  it("reports a click on a tracked link to the trackingUrl, through the webhook outbox", async (t) => {
    hooks.failWith = 503; // the first attempts fail: the report must be retried
    await sendText(t, "sl-track", "Pay here: https://pay.example.com/i/77", {
      shortenUrl: true,
      trackClicks: true,
      trackingUrl: `${hooks.url}/clicks`,
    });
    const code = /\/s\/([0-9A-Za-z]{10})$/.exec((await received("sl-track")).content.text)?.[1];
    assert.equal((await open(server.url, `/s/${code}`)).location, "https://pay.example.com/i/77");
    await eventually(() => hooks.failures > 0, 5000, "a failed attempt");
    hooks.failWith = undefined;
    const report = await eventually(() => hooks.on("/clicks")[0], 5000, "a CLICK report");
    // Infobip's WhatsApp OpenAPI has no schema for click reports; this is the shape of Infobip's
    // trackingUrl notifications (SMS, Viber, email).
    assert.equal(report.body.notificationType, "CLICKED");
    assert.equal(report.body.messageId, "sl-track");
    assert.equal(report.body.recipient, user);
    assert.equal(report.body.url, "https://pay.example.com/i/77");
    assert.equal(report.body.domain, "127.0.0.1");
    assert.equal(typeof report.body.sendDateTime, "number");
    assert.equal(report.body.eventId, report.headers["webhook-id"]);
  });

  it("does not report clicks without trackingUrl or with trackClicks false", async (t) => {
    await sendText(t, "sl-notrack", "https://example.org/quiet", {
      trackClicks: false,
      trackingUrl: `${hooks.url}/quiet`,
    });
    const code = /\/s\/([0-9A-Za-z]{10})$/.exec((await received("sl-notrack")).content.text)?.[1];
    assert.equal((await open(server.url, `/s/${code}`)).status, 302);
    await outboxDrained(server); // the click is recorded before the redirect, with any report it owes
    assert.equal(hooks.on("/quiet").length, 0);
  });

  it("routes a click on a tracked link without a trackingUrl to the CLICK subscriptions; a trackingUrl wins", async (t) => {
    const sub = await server.call("POST", "/subscriptions/1/subscription/WHATSAPP", {
      subscriptionId: "clicks",
      events: ["CLICK"],
      profile: { profileId: "clicks", webhook: { notifyUrl: `${hooks.url}/sub-clicks` } },
      criteria: [{ sender: SENDER }],
    });
    assert.equal(sub.status, 201, JSON.stringify(sub.body));
    const follow = async (messageId: string, text: string, urlOptions: Record<string, unknown>) => {
      await sendText(t, messageId, text, urlOptions);
      const code = /\/s\/([0-9A-Za-z]{10})$/.exec((await received(messageId)).content.text)?.[1];
      assert.equal((await open(server.url, `/s/${code}`)).status, 302);
    };
    const clicksOf = (messageId: string) =>
      hooks.on("/sub-clicks").filter((r) => r.body.messageId === messageId);

    await follow("sl-sub", "Track me: https://example.org/sub", { shortenUrl: true });
    const report = await eventually(() => clicksOf("sl-sub")[0], 5000, "the subscription's CLICK");
    assert.equal(report.body.notificationType, "CLICKED");
    assert.equal(report.body.url, "https://example.org/sub");
    assert.equal(report.body.eventId, report.headers["webhook-id"]);

    await follow("sl-sub-off", "Not me: https://example.org/off", { shortenUrl: true, trackClicks: false });
    await follow("sl-sub-own", "Mine: https://example.org/own", {
      shortenUrl: true,
      trackingUrl: `${hooks.url}/own-clicks`,
    });
    await eventually(() => hooks.on("/own-clicks")[0], 5000, "the send's own trackingUrl's CLICK");
    await outboxDrained(server);
    assert.equal(clicksOf("sl-sub-off").length, 0, "trackClicks false: no CLICK at all");
    assert.equal(clicksOf("sl-sub-own").length, 0, "the trackingUrl beats the subscription");
    assert.equal(clicksOf("sl-sub").length, 1, "once");
  });

  it("registers custom domains per account, and refuses sends with an unregistered one", async (t) => {
    const bad = await server.call("POST", "/openbsp/1/url-shortening/domains", {
      domain: "https://nope.example.com/x",
    });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.requestError.serviceException.validationErrors.domain);
    const unregistered = await sendText(t, "sl-dom-0", "https://example.org", { customDomain: DOMAIN });
    assert.equal(unregistered.status, 400);
    assert.ok(
      unregistered.body.requestError.serviceException.validationErrors["urlOptions.customDomain"],
      JSON.stringify(unregistered.body),
    );

    const created = await server.call("POST", "/openbsp/1/url-shortening/domains", {
      domain: "Go.Example.com",
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.domain, DOMAIN);
    assert.equal(
      (await server.call("POST", "/openbsp/1/url-shortening/domains", { domain: DOMAIN })).status,
      200,
    );
    assert.equal(
      (await server.call("POST", "/openbsp/1/url-shortening/domains", { domain: "old.example.com" })).status,
      201,
    );
    assert.equal(
      (await server.call("DELETE", "/openbsp/1/url-shortening/domains/old.example.com")).status,
      204,
    );
    const list = await server.call("GET", "/openbsp/1/url-shortening/domains");
    assert.deepEqual(
      list.body.domains.map((d: { domain: string }) => d.domain),
      [DOMAIN],
    );

    await sendText(t, "sl-dom-1", "Open https://example.org/brand now", {
      customDomain: DOMAIN,
      removeProtocol: true,
    });
    const text: string = (await received("sl-dom-1")).content.text;
    const code = new RegExp(`^Open ${DOMAIN.replaceAll(".", "\\.")}/([0-9A-Za-z]{10}) now$`).exec(text)?.[1];
    assert.ok(code, text);
    const underDomain = await open(server.url, `/${code}`, DOMAIN);
    assert.equal(underDomain.status, 302);
    assert.equal(underDomain.location, "https://example.org/brand");
    assert.equal(
      (await open(server.url, `/${code}`, "other.example.com")).status,
      404,
      "a domain serves its own links only",
    );
  });

  describe("templates registered with shorteningOptions", () => {
    const name = "order_link";
    const structure = {
      body: { text: "Your order {{1}} shipped.", examples: ["42"] },
      buttons: [
        {
          type: "URL",
          text: "Track",
          url: "https://shop.example.com/orders/{{1}}",
          example: "https://shop.example.com/orders/42",
        },
      ],
      shorteningOptions: { customDomain: DOMAIN },
    };
    const send = async (t: TestContext, messageId: string, urlOptions?: Record<string, unknown>) => {
      const message = {
        from: SENDER,
        to: user,
        messageId,
        content: {
          templateName: name,
          language: "en",
          templateData: { body: { placeholders: ["42"] }, buttons: [{ type: "URL", parameter: "42" }] },
        },
        ...(urlOptions ? { urlOptions } : {}),
      };
      await validRequest(t, "/whatsapp/1/message/template", { messages: [message] });
      return server.call("POST", "/whatsapp/1/message/template", { messages: [message] });
    };

    before(async () => {
      await server.call("POST", "/openbsp/1/url-shortening/domains", { domain: DOMAIN });
    });

    it("refuses an unregistered domain and a template without a dynamic URL button", async () => {
      const unregistered = await server.call("POST", TEMPLATES, {
        name: "bad_link",
        language: "en",
        category: "UTILITY",
        structure: { ...structure, shorteningOptions: { customDomain: "x.example.net" } },
      });
      assert.equal(unregistered.status, 400);
      assert.ok(
        unregistered.body.requestError.serviceException.validationErrors[
          "structure.shorteningOptions.customDomain"
        ],
      );
      const noButton = await server.call("POST", TEMPLATES, {
        name: "bad_link",
        language: "en",
        category: "UTILITY",
        structure: { body: structure.body, shorteningOptions: { customDomain: DOMAIN } },
      });
      assert.equal(noButton.status, 400);
      assert.ok(noButton.body.requestError.serviceException.validationErrors["structure.shorteningOptions"]);
    });

    it("registers the button under the domain; sends put a short code in it", async (t) => {
      const body = { name, language: "en", category: "UTILITY", structure };
      await validRequest(t, "/whatsapp/2/senders/{sender}/templates", body);
      const created = await server.call("POST", TEMPLATES, body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await checkContract(t, "infobip", (c) =>
        assert.deepEqual(c.response("post", "/whatsapp/2/senders/{sender}/templates", 201, created.body), []),
      );
      assert.deepEqual(created.body.structure.shorteningOptions, { customDomain: DOMAIN });
      assert.equal(created.body.structure.buttons[0].url, `https://${DOMAIN}/{{1}}`);
      assert.equal(created.body.structure.buttons[0].destinationUrl, "https://shop.example.com/orders/{{1}}");

      const res = await send(t, "sl-tpl-1", { trackingUrl: `${hooks.url}/tpl-clicks` });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const button = (await received("sl-tpl-1")).content.buttons[0];
      assert.match(button.parameter, /^[0-9A-Za-z]{10}$/);
      const clicked = await open(server.url, `/${button.parameter}`, DOMAIN);
      assert.equal(clicked.status, 302);
      assert.equal(clicked.location, "https://shop.example.com/orders/42");
      const report = await eventually(() => hooks.on("/tpl-clicks")[0], 5000, "a CLICK report");
      assert.equal(report.body.domain, DOMAIN);
      assert.equal(report.body.messageId, "sl-tpl-1");
    });

    it("refuses a send whose customDomain is not the template's, naming the field", async (t) => {
      await server.call("POST", "/openbsp/1/url-shortening/domains", { domain: "other.example.com" });
      const res = await send(t, "sl-tpl-2", { customDomain: "other.example.com" });
      assert.equal(res.status, 400);
      const errors = res.body.requestError.serviceException.validationErrors;
      assert.ok(errors["messages[0].urlOptions.customDomain"], JSON.stringify(res.body));
    });
  });

  it("keeps short links across a restart", async (t) => {
    await sendText(t, "sl-durable", "https://example.org/durable", { shortenUrl: true });
    const code = /\/s\/([0-9A-Za-z]{10})$/.exec((await received("sl-durable")).content.text)?.[1];
    const dataDir = server.dataDir;
    await server.stop();
    server = await startServer({ OPENBSP_DATA_DIR: dataDir });
    try {
      assert.equal((await open(server.url, `/s/${code}`)).location, "https://example.org/durable");
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      server = { ...server, close: async () => {} };
    }
  });
});
