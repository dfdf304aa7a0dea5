/**
 * Address messages (Meta's interactive `address_message`, seed 004) end to end: a valid one reaches
 * the phone inside the 24-hour window (and fails 131047 outside it, like every interactive message);
 * each of Meta's rules broken once is a 400 in Meta's error format naming the field with the
 * catalogue's code; the simulated user's address answer is a flow reply named `address_message`
 * whose `response_json` is Meta's `{saved_address_id?, values}`, quoting the address message, and
 * the sandbox refuses an answer the country's form would not send.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { InboundMessage } from "../src/core/inbound.ts";
import { eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { metaCall, metaStatuses, PHONE_ID, type Value } from "./support/meta.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const INDIA_USER = "919876500001";
const SINGAPORE_USER = "6581230001";
const SILENT_USER = "919876500002";

const BODY = { text: "Thanks for your order! Where shall we deliver it?" };
const SAVED = {
  id: "home",
  value: {
    name: "Asha Rao",
    phone_number: "+919876500001",
    in_pin_code: "400063",
    address: "Wing A, IB Patel Rd",
    landmark_area: "Goregaon",
    city: "Mumbai",
  },
};

function address(parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    type: "interactive",
    interactive: {
      type: "address_message",
      body: BODY,
      action: { name: "address_message", parameters },
      ...extra,
    },
  };
}

describe("address messages", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const inbound: InboundMessage[] = [];
  const send = (to: string, body: Record<string, unknown>) =>
    metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: `+${to}`,
      ...body,
    });
  const phone = async (n: string) =>
    (await server.call("GET", `/sandbox/phones/${n}/messages`)).body.messages as Value[];
  const onPhone = (n: string, id: string) =>
    eventually(
      async () => (await phone(n)).find((m) => m.messageId === id && m.state !== "in_transit"),
      5000,
      "the phone",
    );
  const answer = (n: string, body: Record<string, unknown>) =>
    server.call("POST", `/sandbox/phones/${n}/replies`, body);

  before(async () => {
    await hooks.start();
    server = await startServer({ OPENBSP_META_WEBHOOK_URL: `${hooks.url}/meta` });
    // Every inbound the store records, as the store port sees it (the dialects' wording is another part's).
    const port = server.ctx.storage.conversations;
    const record = port.recordInbound.bind(port);
    port.recordInbound = async (message, webhooks) => {
      inbound.push(message);
      return record(message, webhooks);
    };
    for (const user of [INDIA_USER, SINGAPORE_USER]) {
      const hi = await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi" });
      assert.equal(hi.status, 202, JSON.stringify(hi.body));
    }
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("sends an India address message with values, saved addresses and validation errors: the phone gets it", async () => {
    const res = await send(
      INDIA_USER,
      address(
        {
          country: "IN",
          values: {
            name: "Asha Rao",
            phone_number: "+919876500001",
            in_pin_code: "666666",
            city: "Delhi",
            building_name: "",
          },
          saved_addresses: [SAVED],
          validation_errors: { in_pin_code: "We could not locate this pin code." },
        },
        { header: { type: "text", text: "Delivery" }, footer: { text: "OpenBSP Foods" } },
      ),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = await onPhone(INDIA_USER, res.body.messages[0].id);
    assert.deepEqual(got.content, {
      type: "interactive_address",
      body: BODY.text,
      header: { type: "TEXT", text: "Delivery" },
      footer: "OpenBSP Foods",
      country: "IN",
      values: {
        name: "Asha Rao",
        phone_number: "+919876500001",
        in_pin_code: "666666",
        city: "Delhi",
        building_name: "",
      },
      savedAddresses: [SAVED],
      validationErrors: { in_pin_code: "We could not locate this pin code." },
    });
  });

  it("sends a Singapore address message to a Singapore number", async () => {
    const res = await send(
      SINGAPORE_USER,
      address({
        country: "SG",
        values: { sg_post_code: "018956", unit_number: "#12-01", city: "Singapore" },
      }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = await onPhone(SINGAPORE_USER, res.body.messages[0].id);
    assert.equal(got.content.country, "SG");
    assert.deepEqual(got.content.values, {
      sg_post_code: "018956",
      unit_number: "#12-01",
      city: "Singapore",
    });
  });

  it("outside the 24-hour window it is accepted, then fails with 131047, like every interactive message", async () => {
    const res = await send(SILENT_USER, address({ country: "IN" }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const id = res.body.messages[0].id;
    const failed = await eventually(
      () => metaStatuses(hooks, "/meta").find((s) => s.id === id && s.status === "failed"),
      5000,
      "a failed status",
    );
    assert.equal(failed.errors[0].code, 131047);
    assert.equal(
      (await phone(SILENT_USER)).some((m) => m.messageId === id),
      false,
      "the phone did not get it",
    );
  });

  // Each of Meta's rules broken once: [what, recipient, request, code, the field the details name].
  const broken: [string, string, Record<string, unknown>, number, string][] = [
    ["no country", INDIA_USER, address({}), 131008, "interactive.action.parameters.country"],
    [
      "a country without address messages",
      INDIA_USER,
      address({ country: "US" }),
      131009,
      "interactive.action.parameters.country",
    ],
    [
      "an India form to a Singapore number",
      SINGAPORE_USER,
      address({ country: "IN" }),
      131009,
      "interactive.action.parameters.country",
    ],
    [
      "a Singapore field in an India form",
      INDIA_USER,
      address({ country: "IN", values: { sg_post_code: "018956" } }),
      131009,
      "interactive.action.parameters.values.sg_post_code",
    ],
    [
      "a pin code over 6 characters",
      INDIA_USER,
      address({ country: "IN", values: { in_pin_code: "4000631" } }),
      131009,
      "interactive.action.parameters.values.in_pin_code",
    ],
    [
      "a post code that is not a number",
      SINGAPORE_USER,
      address({ country: "SG", values: { sg_post_code: "01A956" } }),
      131009,
      "interactive.action.parameters.values.sg_post_code",
    ],
    [
      "a phone number of another country",
      INDIA_USER,
      address({ country: "IN", values: { phone_number: "+6581230001" } }),
      131009,
      "interactive.action.parameters.values.phone_number",
    ],
    [
      "a value that is not a string",
      INDIA_USER,
      address({ country: "IN", values: { city: 42 } }),
      131009,
      "interactive.action.parameters.values.city",
    ],
    [
      "a saved address without an id",
      INDIA_USER,
      address({ country: "IN", saved_addresses: [{ value: SAVED.value }] }),
      131008,
      "interactive.action.parameters.saved_addresses[0].id",
    ],
    [
      "two saved addresses with one id",
      INDIA_USER,
      address({ country: "IN", saved_addresses: [SAVED, SAVED] }),
      131009,
      "interactive.action.parameters.saved_addresses[1].id",
    ],
    [
      "a saved address with a wrong pin code",
      INDIA_USER,
      address({ country: "IN", saved_addresses: [{ id: "a", value: { in_pin_code: "1234567" } }] }),
      131009,
      "interactive.action.parameters.saved_addresses[0].value.in_pin_code",
    ],
    [
      "a validation error for a field the form lacks",
      INDIA_USER,
      address({ country: "IN", validation_errors: { zip: "wrong" } }),
      131009,
      "interactive.action.parameters.validation_errors.zip",
    ],
    [
      "no body",
      INDIA_USER,
      {
        type: "interactive",
        interactive: {
          type: "address_message",
          action: { name: "address_message", parameters: { country: "IN" } },
        },
      },
      131008,
      "interactive.body",
    ],
    [
      "a body over 1024 characters",
      INDIA_USER,
      address({ country: "IN" }, { body: { text: "x".repeat(1025) } }),
      131009,
      "interactive.body.text",
    ],
    [
      "a footer over 60 characters",
      INDIA_USER,
      address({ country: "IN" }, { footer: { text: "x".repeat(61) } }),
      131009,
      "interactive.footer.text",
    ],
    [
      "an image header",
      INDIA_USER,
      address({ country: "IN" }, { header: { type: "image", image: { link: "https://example.com/a.png" } } }),
      131009,
      "interactive.header.type",
    ],
    [
      "another action name",
      INDIA_USER,
      {
        type: "interactive",
        interactive: {
          type: "address_message",
          body: BODY,
          action: { name: "send_location", parameters: { country: "IN" } },
        },
      },
      131009,
      "interactive.action.name",
    ],
  ];
  for (const [what, to, body, code, field] of broken) {
    it(`refuses ${what}: ${code} naming ${field}`, async () => {
      const res = await send(to, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code, JSON.stringify(res.body));
      assert.match(res.body.error.message, new RegExp(`^\\(#${code}\\) `));
      const details: string = res.body.error.error_data.details;
      assert.ok(details.startsWith(field), `details name ${field}: ${details}`);
    });
  }

  describe("the user's answer", () => {
    let asked: string;
    let button: string;
    before(async () => {
      const res = await send(
        INDIA_USER,
        address({
          country: "IN",
          values: { name: "Asha Rao", phone_number: "+919876500001", in_pin_code: "666666" },
          saved_addresses: [SAVED],
          validation_errors: { in_pin_code: "We could not locate this pin code." },
        }),
      );
      asked = res.body.messages[0].id;
      await onPhone(INDIA_USER, asked);
      const tap = await send(INDIA_USER, {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Ok?" },
          action: { buttons: [{ type: "reply", reply: { id: "ok", title: "OK" } }] },
        },
      });
      button = tap.body.messages[0].id;
      await onPhone(INDIA_USER, button);
    });

    const replyTo = (messageId: string) =>
      eventually(() => inbound.find((m) => m.quote?.messageId === messageId), 5000, "the stored reply");

    it("a typed address is a flow reply named address_message with Meta's response_json, quoting the message", async () => {
      const typed = {
        name: "Asha Rao",
        phone_number: "+919876500001",
        in_pin_code: "400063",
        house_number: "12",
        address: "IB Patel Rd",
        city: "Mumbai",
        state: "Maharashtra",
      };
      const res = await answer(INDIA_USER, { messageId: asked, address: typed });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const stored = await replyTo(asked);
      assert.equal(stored.messageId, res.body.messageId);
      assert.equal(stored.from, INDIA_USER);
      assert.equal(stored.to, SENDER);
      assert.deepEqual(stored.quote, { messageId: asked, from: SENDER });
      assert.equal(stored.content.type, "flow_reply");
      if (stored.content.type !== "flow_reply") return;
      assert.equal(stored.content.name, "address_message");
      assert.deepEqual(JSON.parse(stored.content.responseJson), { values: typed });
      assert.equal(
        stored.content.body,
        "Asha Rao\n+919876500001\n400063, 12, IB Patel Rd, Mumbai, Maharashtra",
      );
    });

    it("a picked saved address carries its saved_address_id and its values, with what the user changed", async () => {
      inbound.length = 0;
      const res = await answer(INDIA_USER, {
        messageId: asked,
        savedAddressId: "home",
        address: { floor_number: "8" },
      });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const stored = await replyTo(asked);
      assert.ok(stored.content.type === "flow_reply");
      assert.deepEqual(JSON.parse(stored.content.responseJson), {
        saved_address_id: "home",
        values: { ...SAVED.value, floor_number: "8" },
      });
    });

    const refused: [string, () => Record<string, unknown>, RegExp][] = [
      [
        "a required field missing",
        () => ({
          messageId: asked,
          address: { name: "A", phone_number: "+919876500001", in_pin_code: "400063", address: "Rd" },
        }),
        /address\.city: is required/,
      ],
      [
        "a pin code over 6 characters",
        () => ({ messageId: asked, savedAddressId: "home", address: { in_pin_code: "4000631" } }),
        /address\.in_pin_code: size/,
      ],
      [
        "a field the India form lacks",
        () => ({ messageId: asked, savedAddressId: "home", address: { unit_number: "#1" } }),
        /address\.unit_number: is not a field/,
      ],
      [
        "a phone number of another country",
        () => ({ messageId: asked, savedAddressId: "home", address: { phone_number: "+6581230001" } }),
        /address\.phone_number/,
      ],
      [
        "the flagged pin code left as it was",
        () => ({ messageId: asked, savedAddressId: "home", address: { in_pin_code: "666666" } }),
        /address\.in_pin_code: the business flagged it/,
      ],
      [
        "a saved address the message does not offer",
        () => ({ messageId: asked, savedAddressId: "work" }),
        /savedAddressId/,
      ],
      [
        "a button id for an address message",
        () => ({ messageId: asked, choiceId: "ok" }),
        /address or savedAddressId/,
      ],
      [
        "an address for a button message",
        () => ({ messageId: button, address: SAVED.value }),
        /address messages only/,
      ],
    ];
    for (const [what, body, error] of refused) {
      it(`refuses ${what} with a 400 naming the field, storing nothing`, async () => {
        inbound.length = 0;
        const res = await answer(INDIA_USER, body());
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(res.body.error, error);
        assert.equal(inbound.length, 0);
      });
    }

    it("a tap on a reply button still answers as before", async () => {
      const res = await answer(INDIA_USER, { messageId: button, choiceId: "ok" });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const stored = await replyTo(button);
      assert.deepEqual(stored.content, { type: "button_reply", id: "ok", title: "OK" });
    });
  });
});
