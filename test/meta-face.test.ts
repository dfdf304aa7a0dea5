/**
 * The Meta Cloud API face end to end: every message type reaches the phone as sent, status
 * webhooks (sent, delivered, read, failed) arrive in Meta's envelope, signed, and valid against
 * Meta's OpenAPI document; each error code comes from the case that causes it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkContract, META_WEBHOOK } from "./support/contracts.ts";
import { infobipFlow, signUpFlowStartingAt, withFlowId } from "./support/flows.ts";
import { eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import {
  APP_SECRET,
  metaCall,
  metaStatuses,
  metaValues,
  PHONE_ID,
  signatureOk,
  type Value,
} from "./support/meta.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const SEND = "/{Version}/{Phone-Number-ID}/messages";

/** Each type's Meta object, and what the phone must show for it (the core's content). */
const TYPES: Record<string, { body: Record<string, unknown>; phone: Record<string, unknown> }> = {
  text: {
    body: { text: { body: "Hello from Meta", preview_url: true } },
    phone: { type: "text", text: "Hello from Meta", previewUrl: true },
  },
  image: {
    body: { image: { link: "https://example.com/cat.png", caption: "A cat" } },
    phone: { type: "image", mediaUrl: "https://example.com/cat.png", caption: "A cat" },
  },
  audio: {
    body: { audio: { link: "https://example.com/a.ogg" } },
    phone: { type: "audio", mediaUrl: "https://example.com/a.ogg" },
  },
  video: {
    body: { video: { link: "https://example.com/v.mp4", caption: "Clip" } },
    phone: { type: "video", mediaUrl: "https://example.com/v.mp4" },
  },
  document: {
    body: { document: { link: "https://example.com/i.pdf", filename: "invoice.pdf", caption: "Invoice" } },
    phone: { type: "document", mediaUrl: "https://example.com/i.pdf", filename: "invoice.pdf" },
  },
  sticker: {
    body: { sticker: { link: "https://example.com/s.webp" } },
    phone: { type: "sticker", mediaUrl: "https://example.com/s.webp" },
  },
  location: {
    body: {
      location: { latitude: 51.5072, longitude: -0.1276, name: "London", address: "Trafalgar Square" },
    },
    phone: { type: "location", latitude: 51.5072, longitude: -0.1276, name: "London" },
  },
  contacts: {
    body: {
      contacts: [
        {
          name: { formatted_name: "John Smith", first_name: "John" },
          phones: [{ phone: "+441134960001", type: "CELL", wa_id: "441134960001" }],
        },
      ],
    },
    phone: { type: "contact" },
  },
  reaction: {
    body: { reaction: { message_id: "wamid.earlier", emoji: "\u{1F44D}" } },
    phone: { type: "reaction", messageId: "wamid.earlier", emoji: "\u{1F44D}" },
  },
};

const INTERACTIVE: Record<string, { interactive: Record<string, unknown>; phone: Record<string, unknown> }> =
  {
    button: {
      interactive: {
        type: "button",
        header: { type: "text", text: "Pick one" },
        body: { text: "Shall we?" },
        footer: { text: "OpenBSP" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "yes", title: "Yes" } },
            { type: "reply", reply: { id: "no", title: "No" } },
          ],
        },
      },
      phone: { type: "interactive_buttons", body: "Shall we?", footer: "OpenBSP" },
    },
    list: {
      interactive: {
        type: "list",
        body: { text: "Our menu" },
        action: {
          button: "See menu",
          sections: [{ title: "Mains", rows: [{ id: "r1", title: "Pie", description: "Warm" }] }],
        },
      },
      phone: { type: "interactive_list", buttonTitle: "See menu" },
    },
    cta_url: {
      interactive: {
        type: "cta_url",
        body: { text: "Track it" },
        action: { name: "cta_url", parameters: { display_text: "Track", url: "https://example.com/t/1" } },
      },
      phone: { type: "interactive_url_button", displayText: "Track", url: "https://example.com/t/1" },
    },
    location_request_message: {
      interactive: {
        type: "location_request_message",
        body: { text: "Where are you?" },
        action: { name: "send_location" },
      },
      phone: { type: "interactive_location_request", body: "Where are you?" },
    },
    product: {
      interactive: {
        type: "product",
        body: { text: "This one" },
        action: { catalog_id: "cat1", product_retailer_id: "sku1" },
      },
      phone: { type: "interactive_product", catalogId: "cat1", productRetailerId: "sku1" },
    },
    product_list: {
      interactive: {
        type: "product_list",
        header: { type: "text", text: "Picks" },
        body: { text: "For you" },
        action: {
          catalog_id: "cat1",
          sections: [
            {
              title: "Top",
              product_items: [{ product_retailer_id: "sku1" }, { product_retailer_id: "sku2" }],
            },
          ],
        },
      },
      phone: { type: "interactive_multi_product", catalogId: "cat1" },
    },
    flow: {
      interactive: {
        type: "flow",
        body: { text: "Book a table" },
        action: {
          name: "flow",
          parameters: {
            flow_message_version: "3",
            flow_token: "tok-1",
            flow_id: "1234567890",
            flow_cta: "Book",
            flow_action: "navigate",
            flow_action_payload: { screen: "START", data: { party: 2 } },
          },
        },
      },
      phone: {
        type: "interactive_flow",
        flowId: "1234567890",
        flowToken: "tok-1",
        callToActionButton: "Book",
      },
    },
  };

describe("Meta Cloud API face", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const user = "447700908001";
  const send = (body: Record<string, unknown>, version = "v23.0") =>
    metaCall(server.url, "POST", `/${version}/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      ...body,
    });
  const phone = async (n: string) =>
    (await server.call("GET", `/sandbox/phones/${n}/messages`)).body.messages as Value[];

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_META_WEBHOOK_URL: `${hooks.url}/meta`,
      OPENBSP_META_APP_SECRET: APP_SECRET,
    });
    await server.call("POST", `/sandbox/phones/${user}/messages`, {
      to: SENDER,
      text: "hi",
      contactName: "Ann",
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  for (const [type, { body, phone: expected }] of Object.entries(TYPES)) {
    it(`sends ${type}: the phone gets it, and sent/delivered/read arrive signed in Meta's envelope`, async (t) => {
      const res = await send({
        recipient_type: "individual",
        to: `+${user}`,
        type,
        ...body,
        biz_opaque_callback_data: `cb-${type}`,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.contacts, [{ input: `+${user}`, wa_id: user }]);
      const id = res.body.messages[0].id as string;
      assert.match(id, /^wamid\./);
      await checkContract(t, "meta", (c) => assert.deepEqual(c.response("post", SEND, 200, res.body), []));
      const got = await eventually(
        async () => (await phone(user)).find((m) => m.messageId === id),
        5000,
        "the phone",
      );
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(got.content[k], v, `content.${k}`);
      const states = await eventually(
        () => {
          const s = metaStatuses(hooks, "/meta")
            .filter((x) => x.id === id)
            .map((x) => x.status);
          return s.includes("read") && s;
        },
        5000,
        "a read status",
      );
      // One status per POST, as Meta sends them; like Meta's, they may arrive in any order.
      assert.deepEqual([...(states as string[])].sort(), ["delivered", "read", "sent"]);
      const sent = metaStatuses(hooks, "/meta").find((x) => x.id === id && x.status === "sent");
      assert.equal(sent.biz_opaque_callback_data, `cb-${type}`);
      assert.equal(sent.recipient_id, user);
      assert.equal(sent.pricing.category, "service");
      for (const r of hooks.on("/meta"))
        assert.ok(signatureOk(r), "X-Hub-Signature-256 is the HMAC of the exact body");
      await checkContract(t, "meta", (c) => {
        for (const r of hooks.on("/meta")) assert.deepEqual(c.webhook(META_WEBHOOK, r.body), []);
      });
    });
  }

  for (const [kind, sample] of Object.entries(INTERACTIVE)) {
    it(`sends interactive ${kind}`, async () => {
      // A flow message opens a flow that exists and is published: one is made first.
      const flowId =
        kind === "flow" ? await infobipFlow(server, "meta-flow", signUpFlowStartingAt("START")) : undefined;
      const { interactive, phone: expected } = flowId ? withFlowId(sample, flowId) : sample;
      const res = await send({ to: user, type: "interactive", interactive });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const id = res.body.messages[0].id as string;
      const got = await eventually(
        async () => (await phone(user)).find((m) => m.messageId === id),
        5000,
        "the phone",
      );
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(got.content[k], v, `content.${k}`);
    });
  }

  it("sends a template with body parameters; the status is priced as its category", async () => {
    const res = await send({
      to: "447700908002",
      type: "template",
      template: {
        name: "welcome",
        language: { code: "en" },
        components: [{ type: "body", parameters: [{ type: "text", text: "Bo" }] }],
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const id = res.body.messages[0].id;
    const got = await eventually(
      async () => (await phone("447700908002")).find((m) => m.messageId === id),
      5000,
      "the phone",
    );
    assert.deepEqual(got.content.bodyPlaceholders, ["Bo"]);
    const delivered = await eventually(() =>
      metaStatuses(hooks, "/meta").find((s) => s.id === id && s.status === "delivered"),
    );
    assert.equal(delivered.pricing.category, "utility");
    assert.equal(delivered.conversation.origin.type, "utility");
  });

  it("forwards inbound messages and button replies in Meta's format, with the context", async (t) => {
    const res = await send({
      to: user,
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Ok?" },
        action: { buttons: [{ type: "reply", reply: { id: "ok", title: "OK" } }] },
      },
    });
    const id = res.body.messages[0].id;
    await eventually(async () => (await phone(user)).find((m) => m.messageId === id));
    const tap = await server.call("POST", `/sandbox/phones/${user}/replies`, {
      messageId: id,
      choiceId: "ok",
    });
    assert.equal(tap.status, 202, JSON.stringify(tap.body));
    const value = await eventually(() =>
      metaValues(hooks, "/meta").find((v) => v.messages?.[0]?.interactive?.button_reply?.id === "ok"),
    );
    const m = value.messages[0];
    assert.equal(m.from, user);
    assert.equal(m.context.id, id);
    assert.deepEqual(m.interactive, { type: "button_reply", button_reply: { id: "ok", title: "OK" } });
    assert.equal(value.metadata.phone_number_id, PHONE_ID);
    const text = metaValues(hooks, "/meta").find((v) => v.messages?.[0]?.text?.body === "hi");
    assert.ok(text, "the user's first message was forwarded");
    assert.deepEqual(text.contacts, [{ profile: { name: "Ann" }, wa_id: user }]);
    await checkContract(t, "meta", (c) =>
      assert.deepEqual(
        c.webhook(META_WEBHOOK, {
          object: "whatsapp_business_account",
          entry: [{ id: "1", changes: [{ field: "messages", value }] }],
        }),
        [],
      ),
    );
  });

  it("normalises `to` as Meta does and works without a version prefix", async () => {
    const res = await send({ to: "+44 (7700) 908-003", type: "text", text: { body: "x" } }, "vx");
    assert.equal(res.status, 400, "not a Graph version");
    assert.match(res.body.error.message, /\(#2500\)/);
    const plain = await metaCall(server.url, "POST", `/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: "+44 (7700) 908-003",
      type: "text",
      text: { body: "x" },
    });
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    assert.equal(plain.body.contacts[0].wa_id, "447700908003");
    const national = await send({ to: "07700 908004", type: "text", text: { body: "x" } }, "v17.0");
    assert.equal(national.body.contacts[0].wa_id, "447700908004", "the business number's country code");
  });

  it("refuses a read receipt for a message it never received (131009; see read-and-typing.test.ts)", async () => {
    const res = await send({ status: "read", message_id: "wamid.anything" });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 131009);
    assert.match(res.body.error.error_data.details, /message_id/);
  });
});
