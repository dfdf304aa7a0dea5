/**
 * Interactive buttons and lists on the Infobip face: delivered as sent, every limit a 400 naming
 * the field, and the simulated user's tap comes back as the matching inbound reply with its context.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AuthType, Infobip } from "@infobip-api/sdk";
import { checkContract } from "./support/contracts.ts";
import { infobipFlow, withFlowId } from "./support/flows.ts";
import { API_KEY, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const BUTTONS = {
  body: { text: "Cancel your order?" },
  action: {
    buttons: [
      { type: "REPLY", id: "yes", title: "Yes" },
      { type: "REPLY", id: "no", title: "No" },
    ],
  },
  header: { type: "TEXT", text: "Order 42" },
  footer: { text: "Reply below" },
};
const LIST = {
  body: { text: "Pick a delivery slot" },
  action: {
    title: "Choose a slot",
    sections: [
      {
        title: "Morning",
        rows: [
          { id: "m9", title: "09:00", description: "Between 9 and 10" },
          { id: "m10", title: "10:00" },
        ],
      },
      { title: "Afternoon", rows: [{ id: "a14", title: "14:00" }] },
    ],
  },
  header: { type: "TEXT", text: "Delivery" },
  footer: { text: "Free delivery" },
};

describe("interactive messages on the Infobip face", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const user = "447700908001";

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_INBOUND_URL: `${hooks.url}/inbound`,
    });
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hello" });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  async function send(kind: "buttons" | "list", content: object, messageId: string, to = user) {
    return server.call("POST", `/whatsapp/1/message/interactive/${kind}`, {
      from: SENDER,
      to,
      messageId,
      content,
    });
  }

  it("delivers reply buttons, and a tap comes back as INTERACTIVE_BUTTON_REPLY quoting the message", async (t) => {
    const res = await send("buttons", BUTTONS, "ia-buttons");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await hooks.waitForResult(
      "/dlr",
      (r) => r.messageId === "ia-buttons" && r.status?.groupName === "DELIVERED",
    );
    const phone = await server.call("GET", `/sandbox/phones/${user}/messages`);
    const got = phone.body.messages.find((m: { messageId: string }) => m.messageId === "ia-buttons");
    assert.deepEqual(got.content, {
      type: "interactive_buttons",
      body: "Cancel your order?",
      header: { type: "TEXT", text: "Order 42" },
      footer: "Reply below",
      buttons: [
        { id: "yes", title: "Yes" },
        { id: "no", title: "No" },
      ],
    });

    const tap = await server.call("POST", `/sandbox/phones/${user}/replies`, {
      messageId: "ia-buttons",
      choiceId: "no",
    });
    assert.equal(tap.status, 202);
    const inbound = await hooks.waitForResult("/inbound", (r) => r.messageId === tap.body.messageId);
    assert.deepEqual(inbound.message, {
      type: "INTERACTIVE_BUTTON_REPLY",
      id: "no",
      title: "No",
      context: { from: SENDER, id: "ia-buttons" },
    });
    assert.equal(inbound.from, user);
    await checkContract(t, "infobip", (c) => {
      const body = hooks.on("/inbound").find((h) => h.body.results[0].messageId === tap.body.messageId)?.body;
      assert.deepEqual(c.webhook("receive-inbound-whatsapp-messages", body), []);
    });
  });

  it("delivers a list, and a pick comes back as INTERACTIVE_LIST_REPLY with the row's description", async () => {
    const res = await send("list", LIST, "ia-list");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await hooks.waitForResult(
      "/dlr",
      (r) => r.messageId === "ia-list" && r.status?.groupName === "DELIVERED",
    );
    const pick = await server.call("POST", `/sandbox/phones/${user}/replies`, {
      messageId: "ia-list",
      choiceId: "m9",
    });
    assert.equal(pick.status, 202);
    const inbound = await hooks.waitForResult("/inbound", (r) => r.messageId === pick.body.messageId);
    assert.deepEqual(inbound.message, {
      type: "INTERACTIVE_LIST_REPLY",
      id: "m9",
      title: "09:00",
      description: "Between 9 and 10",
      context: { from: SENDER, id: "ia-list" },
    });
  });

  it("refuses a tap on a choice the message does not offer, or on a message the phone never got", async () => {
    const wrong = await server.call("POST", `/sandbox/phones/${user}/replies`, {
      messageId: "ia-buttons",
      choiceId: "maybe",
    });
    assert.equal(wrong.status, 400);
    const unknown = await server.call("POST", `/sandbox/phones/${user}/replies`, {
      messageId: "never-sent",
      choiceId: "yes",
    });
    assert.equal(unknown.status, 404);
  });

  const button = (id: string, title = id) => ({ type: "REPLY", id, title });
  const invalid: ["buttons" | "list", string, object, string][] = [
    [
      "buttons",
      "four buttons",
      { ...BUTTONS, action: { buttons: ["a", "b", "c", "d"].map((x) => button(x)) } },
      "content.action.buttons",
    ],
    ["buttons", "no buttons", { ...BUTTONS, action: { buttons: [] } }, "content.action.buttons"],
    [
      "buttons",
      "two buttons with one id",
      { ...BUTTONS, action: { buttons: [button("x", "One"), button("x", "Two")] } },
      "content.action.buttons[1].id",
    ],
    [
      "buttons",
      "a title over 20 characters",
      { ...BUTTONS, action: { buttons: [button("x", "t".repeat(21))] } },
      "content.action.buttons[0].title",
    ],
    ["buttons", "an empty body", { ...BUTTONS, body: { text: "" } }, "content.body.text"],
    [
      "buttons",
      "a body over 1024 characters",
      { ...BUTTONS, body: { text: "b".repeat(1025) } },
      "content.body.text",
    ],
    [
      "buttons",
      "a text header over 60 characters",
      { ...BUTTONS, header: { type: "TEXT", text: "h".repeat(61) } },
      "content.header.text",
    ],
    [
      "buttons",
      "an image header without a link",
      { ...BUTTONS, header: { type: "IMAGE" } },
      "content.header.mediaUrl",
    ],
    [
      "buttons",
      "a footer over 60 characters",
      { ...BUTTONS, footer: { text: "f".repeat(61) } },
      "content.footer.text",
    ],
    [
      "list",
      "eleven rows",
      {
        ...LIST,
        action: {
          title: "Pick",
          sections: [{ rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })) }],
        },
      },
      "content.action.sections",
    ],
    [
      "list",
      "a row id used twice",
      {
        ...LIST,
        action: {
          title: "Pick",
          sections: [
            { title: "A", rows: [{ id: "r", title: "One" }] },
            { title: "B", rows: [{ id: "r", title: "Two" }] },
          ],
        },
      },
      "content.action.sections[1].rows[0].id",
    ],
    [
      "list",
      "two sections, one without a title",
      {
        ...LIST,
        action: {
          title: "Pick",
          sections: [{ title: "A", rows: [{ id: "a", title: "A" }] }, { rows: [{ id: "b", title: "B" }] }],
        },
      },
      "content.action.sections[1].title",
    ],
    [
      "list",
      "a row title over 24 characters",
      { ...LIST, action: { title: "Pick", sections: [{ rows: [{ id: "a", title: "r".repeat(25) }] }] } },
      "content.action.sections[0].rows[0].title",
    ],
    [
      "list",
      "a description over 72 characters",
      {
        ...LIST,
        action: {
          title: "Pick",
          sections: [{ rows: [{ id: "a", title: "A", description: "d".repeat(73) }] }],
        },
      },
      "content.action.sections[0].rows[0].description",
    ],
    [
      "list",
      "a button label over 20 characters",
      { ...LIST, action: { ...LIST.action, title: "l".repeat(21) } },
      "content.action.title",
    ],
  ];
  for (const [kind, what, content, field] of invalid) {
    it(`rejects ${kind} with ${what}, naming ${field}`, async () => {
      const res = await server.call("POST", `/whatsapp/1/message/interactive/${kind}`, {
        from: SENDER,
        to: user,
        content,
      });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const errors = res.body.requestError.serviceException.validationErrors;
      assert.ok(errors[field], `expected ${field} in ${JSON.stringify(errors)}`);
    });
  }

  it("fails buttons outside the window with EC_NO_SESSION", async () => {
    await send("buttons", BUTTONS, "ia-closed", "447700908099");
    const dlr = await hooks.waitForResult("/dlr", (r) => r.messageId === "ia-closed");
    assert.equal(dlr.error.name, "EC_NO_SESSION");
  });

  it("works with the official Infobip SDK for buttons and list", async () => {
    const infobip = new Infobip({ baseUrl: server.url, apiKey: API_KEY, authType: AuthType.ApiKey });
    // biome-ignore lint/suspicious/noExplicitAny: the SDK types its WhatsApp channel as any
    const wa: any = infobip.channels.whatsapp;
    for (const [type, content] of [
      ["interactive-buttons", BUTTONS],
      ["interactive-list", LIST],
    ] as const) {
      const res = await wa.send({ type, from: SENDER, to: user, messageId: `sdk-${type}`, content });
      assert.ok(!(res instanceof Error), `${type}: ${res.message} ${JSON.stringify(res.response?.data)}`);
      await hooks.waitForResult(
        "/dlr",
        (r) => r.messageId === `sdk-${type}` && r.status?.groupName === "DELIVERED",
      );
    }
  });

  const MORE: Record<string, [Record<string, unknown>, Record<string, unknown>]> = {
    "location-request": [
      { body: { text: "Where should we deliver?" } },
      { type: "interactive_location_request", body: "Where should we deliver?" },
    ],
    "url-button": [
      {
        body: { text: "Track your parcel" },
        action: { displayText: "Track", url: "https://example.com/t/42" },
        footer: { text: "Thanks" },
      },
      {
        type: "interactive_url_button",
        body: "Track your parcel",
        footer: "Thanks",
        displayText: "Track",
        url: "https://example.com/t/42",
      },
    ],
    product: [
      { action: { catalogId: "cat-1", productRetailerId: "sku-9" }, body: { text: "Our pick for you" } },
      {
        type: "interactive_product",
        body: "Our pick for you",
        catalogId: "cat-1",
        productRetailerId: "sku-9",
      },
    ],
    "multi-product": [
      {
        header: { type: "TEXT", text: "Summer" },
        body: { text: "New arrivals" },
        action: {
          catalogId: "cat-1",
          sections: [
            { title: "Hats", productRetailerIds: ["h1", "h2"] },
            { title: "Shoes", productRetailerIds: ["s1"] },
          ],
        },
      },
      {
        type: "interactive_multi_product",
        header: { type: "TEXT", text: "Summer" },
        body: "New arrivals",
        catalogId: "cat-1",
        sections: [
          { title: "Hats", productRetailerIds: ["h1", "h2"] },
          { title: "Shoes", productRetailerIds: ["s1"] },
        ],
      },
    ],
    flow: [
      {
        body: { text: "Book an appointment" },
        action: {
          flowToken: "tok-1",
          flowId: "1234567890",
          callToActionButton: "Book now",
          flowActionPayload: { screen: "WELCOME", data: { name: "Ann" } },
        },
      },
      {
        type: "interactive_flow",
        body: "Book an appointment",
        flowId: "1234567890",
        flowToken: "tok-1",
        callToActionButton: "Book now",
        mode: "PUBLISHED",
        flowAction: "NAVIGATE",
        flowActionPayload: { screen: "WELCOME", data: { name: "Ann" } },
      },
    ],
  };
  for (const [kind, [sample, expectedSample]] of Object.entries(MORE)) {
    it(`delivers an interactive ${kind} message as sent`, async (t) => {
      // A flow message opens a flow that exists and is published: one is made first.
      const flowId = kind === "flow" ? await infobipFlow(server, "ia-flow") : undefined;
      const content = flowId ? withFlowId(sample, flowId) : sample;
      const expected = flowId ? withFlowId(expectedSample, flowId) : expectedSample;
      const body = { from: SENDER, to: user, messageId: `ia-${kind}`, content };
      await checkContract(t, "infobip", (c) =>
        assert.deepEqual(c.request("post", `/whatsapp/1/message/interactive/${kind}`, body), []),
      );
      const res = await server.call("POST", `/whatsapp/1/message/interactive/${kind}`, body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await hooks.waitForResult(
        "/dlr",
        (r) => r.messageId === `ia-${kind}` && r.status?.groupName === "DELIVERED",
      );
      const phone = await server.call("GET", `/sandbox/phones/${user}/messages`);
      assert.deepEqual(
        phone.body.messages.find((m: { messageId: string }) => m.messageId === `ia-${kind}`).content,
        expected,
      );
    });
  }

  const moreInvalid: [string, string, object, string][] = [
    ["location-request", "an empty body", { body: { text: " " } }, "content.body.text"],
    [
      "url-button",
      "a label over 20 characters",
      { body: { text: "b" }, action: { displayText: "d".repeat(21), url: "https://x.example" } },
      "content.action.displayText",
    ],
    [
      "url-button",
      "a link that is not http(s)",
      { body: { text: "b" }, action: { displayText: "Go", url: "javascript:alert(1)" } },
      "content.action.url",
    ],
    [
      "product",
      "an empty catalog id",
      { action: { catalogId: "", productRetailerId: "sku" } },
      "content.action.catalogId",
    ],
    [
      "multi-product",
      "31 products",
      {
        header: { type: "TEXT", text: "h" },
        body: { text: "b" },
        action: {
          catalogId: "c",
          sections: [{ productRetailerIds: Array.from({ length: 31 }, (_, i) => `p${i}`) }],
        },
      },
      "content.action.sections",
    ],
    [
      "multi-product",
      "an empty section",
      {
        header: { type: "TEXT", text: "h" },
        body: { text: "b" },
        action: { catalogId: "c", sections: [{ productRetailerIds: [] }] },
      },
      "content.action.sections[0].productRetailerIds",
    ],
    [
      "flow",
      "a payload with DATA_EXCHANGE",
      {
        body: { text: "b" },
        action: {
          flowToken: "t",
          flowId: "1",
          callToActionButton: "Go",
          flowAction: "DATA_EXCHANGE",
          flowActionPayload: { screen: "A" },
        },
      },
      "content.action.flowActionPayload",
    ],
    [
      "flow",
      "an empty data object",
      {
        body: { text: "b" },
        action: {
          flowToken: "t",
          flowId: "1",
          callToActionButton: "Go",
          flowActionPayload: { screen: "A", data: {} },
        },
      },
      "content.action.flowActionPayload.data",
    ],
    [
      "flow",
      "a button label over 20 characters",
      { body: { text: "b" }, action: { flowToken: "t", flowId: "1", callToActionButton: "c".repeat(21) } },
      "content.action.callToActionButton",
    ],
  ];
  for (const [kind, what, content, field] of moreInvalid) {
    it(`rejects ${kind} with ${what}, naming ${field}`, async () => {
      const res = await server.call("POST", `/whatsapp/1/message/interactive/${kind}`, {
        from: SENDER,
        to: user,
        content,
      });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const errors = res.body.requestError.serviceException.validationErrors;
      assert.ok(errors[field], `expected ${field} in ${JSON.stringify(errors)}`);
    });
  }
});
