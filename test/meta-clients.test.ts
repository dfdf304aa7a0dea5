/**
 * Unmodified Meta clients from npm against the Cloud API face — whatsapp-api-js (through its
 * fetch ponyfill) and @great-detail/whatsapp (through its base URL) — plus the templates API,
 * the subscription handshake, and one core seen through two faces.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Client } from "@great-detail/whatsapp";
import { WhatsAppAPI } from "whatsapp-api-js";
import {
  ActionButtons,
  Body,
  BodyComponent,
  BodyParameter,
  Button,
  Image,
  Interactive,
  Language,
  Template,
  Text,
} from "whatsapp-api-js/messages";
import { API_KEY, eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { APP_SECRET, metaCall, metaStatuses, metaValues, PHONE_ID, WABA_ID } from "./support/meta.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

describe("Meta clients from npm", () => {
  let server: TestServer;
  let api: WhatsAppAPI;
  let client: Client;
  const hooks = new WebhookReceiver();
  const user = "447700910001";
  /** The id of the user's message, which the client marks read. */
  let inbound: string;

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_META_WEBHOOK_URL: `${hooks.url}/meta`,
      OPENBSP_META_APP_SECRET: APP_SECRET,
      OPENBSP_BUSINESS_VERIFIED: "true",
    });
    inbound = (await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hello" }))
      .body.messageId;
    const base = server.url;
    api = new WhatsAppAPI({
      token: API_KEY,
      appSecret: APP_SECRET,
      v: "v23.0",
      ponyfill: {
        fetch: (url: string | URL | Request, init?: RequestInit) =>
          fetch(String(url).replace("https://graph.facebook.com", base), init),
      },
    });
    client = new Client({
      prefixUrl: base,
      graphVersion: "v21.0",
      request: { headers: { Authorization: `Bearer ${API_KEY}` } },
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("whatsapp-api-js sends text, image, buttons and a template, and its webhook handler accepts our signed statuses", async () => {
    const statuses: { id: string; status: string }[] = [];
    api.on.status = ({ id, status }) => {
      statuses.push({ id, status });
    };
    const sent = await Promise.all([
      api.sendMessage(PHONE_ID, user, new Text("Hello from whatsapp-api-js")),
      api.sendMessage(PHONE_ID, user, new Image("https://example.com/p.png", false, "Pic")),
      api.sendMessage(
        PHONE_ID,
        user,
        new Interactive(new ActionButtons(new Button("y", "Yes"), new Button("n", "No")), new Body("Ok?")),
      ),
      api.sendMessage(
        PHONE_ID,
        user,
        new Template("welcome", new Language("en"), new BodyComponent(new BodyParameter("Ann"))),
      ),
    ]);
    const ids = sent.map((r) => {
      assert.ok("messages" in r, JSON.stringify(r));
      return (r as { messages: { id: string }[] }).messages[0]?.id as string;
    });
    for (const id of ids) {
      await eventually(
        () => metaStatuses(hooks, "/meta").some((s) => s.id === id && s.status === "read"),
        5000,
        `read of ${id}`,
      );
    }
    for (const r of hooks.on("/meta")) {
      if (!r.raw.includes('"statuses"')) continue;
      await api.post(JSON.parse(r.raw), r.raw, String(r.headers["x-hub-signature-256"]));
    }
    for (const id of ids) {
      assert.deepEqual(
        statuses
          .filter((s) => s.id === id)
          .map((s) => s.status)
          .sort(),
        ["delivered", "read", "sent"],
      );
    }
    const read = await api.markAsRead(PHONE_ID, inbound, "text");
    assert.deepEqual(read, { success: true });
    const phone = (await server.call("GET", `/sandbox/phones/${user}/messages`)).body;
    assert.ok(
      phone.sent.find((m: { messageId: string }) => m.messageId === inbound)?.readByBusinessAt,
      "the phone shows it read",
    );
    assert.equal(phone.typing[0]?.sender, SENDER, "and the business typing");
    const tampered = hooks.on("/meta")[0];
    await assert.rejects(
      api.post(
        JSON.parse(tampered?.raw ?? "{}"),
        `${tampered?.raw} `,
        String(tampered?.headers["x-hub-signature-256"]),
      ),
    );
  });

  it("@great-detail/whatsapp sends, lists phone numbers, and manages templates", async () => {
    const res = await client.message
      .createMessage({
        phoneNumberID: PHONE_ID,
        to: user,
        type: "text",
        text: { body: "Hello from great-detail" },
      } as never)
      .json<{ messages: { id: string }[] }>();
    const id = res.messages[0]?.id as string;
    await eventually(async () =>
      (await server.call("GET", `/sandbox/phones/${user}/messages`)).body.messages.find(
        (m: { messageId: string }) => m.messageId === id,
      ),
    );

    const numbers = await client.phoneNumbers
      .listPhoneNumbers({ businessAccountID: WABA_ID })
      .json<{ data: { id: string; display_phone_number: string }[] }>();
    assert.deepEqual(
      numbers.data.map((n) => [n.id, n.display_phone_number]),
      [[PHONE_ID, `+${SENDER}`]],
    );

    const created = await client.template
      .create(WABA_ID, {
        name: "order_shipped",
        language: "en_US",
        category: "UTILITY",
        components: [
          { type: "HEADER", format: "TEXT", text: "Order {{1}}", example: { header_text: ["42"] } },
          { type: "BODY", text: "Hi {{1}}, your order is on its way.", example: { body_text: [["Ann"]] } },
          { type: "FOOTER", text: "OpenBSP" },
          {
            type: "BUTTONS",
            buttons: [
              {
                type: "URL",
                text: "Track",
                url: "https://example.com/t/{{1}}",
                example: ["https://example.com/t/42"],
              },
              { type: "QUICK_REPLY", text: "Thanks" },
            ],
          },
        ],
      } as never)
      .json<{ id: string; status: string; category: string }>();
    assert.equal(created.status, "APPROVED");
    const got = await client.template
      .get(created.id, {})
      .json<{ name: string; components: { type: string }[] }>();
    assert.equal(got.name, "order_shipped");
    assert.deepEqual(
      got.components.map((c) => c.type),
      ["HEADER", "BODY", "FOOTER", "BUTTONS"],
    );

    const send = await metaCall(server.url, "POST", `/v21.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: "447700910002",
      type: "template",
      template: {
        name: "order_shipped",
        language: { code: "en_US" },
        components: [
          { type: "header", parameters: [{ type: "text", text: "42" }] },
          { type: "body", parameters: [{ type: "text", text: "Ann" }] },
          {
            type: "button",
            sub_type: "quick_reply",
            index: "1",
            parameters: [{ type: "payload", payload: "thanks" }],
          },
          { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "42" }] },
        ],
      },
    });
    assert.equal(send.status, 200, JSON.stringify(send.body));

    const list = await client.template
      .list(WABA_ID, { limit: 1 } as never)
      .json<{ data: { name: string }[]; paging: { cursors: { after: string }; next?: string } }>();
    assert.equal(list.data.length, 1);
    assert.ok(list.paging.next, "a second page");
    const page2 = await metaCall(
      server.url,
      "GET",
      `/v21.0/${WABA_ID}/message_templates?limit=1&after=${list.paging.cursors.after}`,
    );
    assert.notEqual(page2.body.data[0].name, list.data[0]?.name);

    const deleted = await client.template
      .delete(WABA_ID, { name: "order_shipped" } as never)
      .json<{ success: boolean }>();
    assert.deepEqual(deleted, { success: true });
    const after = await metaCall(server.url, "GET", `/v21.0/${WABA_ID}/message_templates?name=order_shipped`);
    assert.deepEqual(after.body.data, []);

    const signed = hooks.on("/meta").find((r) => r.raw.includes('"statuses"'));
    const notification = await client.webhook.eventNotification({
      method: "POST",
      headers: signed?.headers ?? {},
      body: signed?.raw,
    } as never);
    assert.equal(await notification.checkSignature(APP_SECRET), true);
  });

  it("a template created on the Meta face is listed by the Infobip face, and edited back to review", async () => {
    const created = await metaCall(server.url, "POST", `/v23.0/${WABA_ID}/message_templates`, {
      name: "cross_face",
      language: "en",
      category: "MARKETING",
      components: [{ type: "BODY", text: "Sale on {{1}} today.", example: { body_text: [["shoes"]] } }],
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const infobip = await server.call("GET", `/whatsapp/2/senders/${SENDER}/templates`);
    const seen = infobip.body.templates.find((t: { name: string }) => t.name === "cross_face");
    assert.equal(seen.id, created.body.id);
    assert.equal(seen.category, "MARKETING");
    const edit = await metaCall(server.url, "POST", `/v23.0/${created.body.id}`, {
      components: [{ type: "BODY", text: "Sale on {{1}} now.", example: { body_text: [["hats"]] } }],
    });
    assert.deepEqual(edit.body, { success: true });
    const after = await metaCall(server.url, "GET", `/v23.0/${created.body.id}`);
    assert.equal(after.body.components[0].text, "Sale on {{1}} now.");
  });

  it("an inbound message reaches both the Infobip and the Meta receivers, each in its own format", async () => {
    const infobipHooks = new WebhookReceiver();
    await infobipHooks.start();
    const both = await startServer({
      OPENBSP_META_WEBHOOK_URL: `${hooks.url}/both-meta`,
      OPENBSP_INBOUND_URL: `${infobipHooks.url}/ib`,
    });
    try {
      await both.call("POST", "/sandbox/phones/447700910009/messages", { to: SENDER, text: "to every face" });
      await eventually(() => infobipHooks.results("/ib").find((r) => r.message.text === "to every face"));
      await eventually(() =>
        metaValues(hooks, "/both-meta").find((v) => v.messages?.[0]?.text?.body === "to every face"),
      );
    } finally {
      await both.close();
      await infobipHooks.stop();
    }
  });

  it("performs Meta's subscription handshake with the callback URL at start", async () => {
    const seen: URLSearchParams[] = [];
    const receiver = createServer((req, res) => {
      const q = new URL(req.url ?? "/", "http://x").searchParams;
      seen.push(q);
      const ok = q.get("hub.mode") === "subscribe" && q.get("hub.verify_token") === "my-verify-token";
      res.writeHead(ok ? 200 : 403).end(ok ? (q.get("hub.challenge") ?? "") : "");
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const s = await startServer({
      OPENBSP_META_WEBHOOK_URL: url,
      OPENBSP_META_VERIFY_TOKEN: "my-verify-token",
    });
    try {
      const q = await eventually(() => seen[0], 5000, "the handshake");
      assert.equal(q.get("hub.mode"), "subscribe");
      assert.match(q.get("hub.challenge") ?? "", /^\d+$/);
    } finally {
      await s.close();
      receiver.closeAllConnections();
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});
