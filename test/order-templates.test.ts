/**
 * Templates with an ORDER_DETAILS button (Brazil or India payments) and a VOICE_CALL button on the
 * Infobip face: registered, sent with the order the user reviews and pays, checked by the same
 * rules as an order-details message; the phone gets exactly the order sent.
 */
import assert from "node:assert/strict";
import { after, before, describe, it, type TestContext } from "node:test";
import { checkContract } from "./support/contracts.ts";
import { SENDER, startServer, type TestServer } from "./support/harness.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const TEMPLATES = `/whatsapp/2/senders/${SENDER}/templates`;
const TEMPLATES_SPEC = "/whatsapp/2/senders/{sender}/templates";
const USER = "447700913001";

// biome-ignore lint/suspicious/noExplicitAny: request bodies are edited field by field
type Json = any;

/** A Pix order: one item on sale, tax and shipping. */
function pixAction(): Json {
  return {
    payment: {
      type: "BRAZIL_PIX_DC",
      id: "pedido-7",
      code: "00020101021226700014br.gov.bcb.pix",
      merchantName: "Loja",
      keyType: "CNPJ",
      key: "39580525000189",
    },
    orderCurrency: "BRL",
    orderType: "PHYSICAL_GOODS",
    totalAmount: { value: 9500 },
    order: {
      items: [
        {
          retailerId: "bolo-1",
          name: "Bolo",
          amount: { value: 5000 },
          saleAmount: { value: 4000 },
          quantity: 2,
        },
      ],
      subtotal: { value: 8000 },
      tax: { value: 500, description: "ICMS" },
      shipping: { value: 1000 },
    },
  };
}

const errorsOf = (res: { body: Json }): Record<string, string[]> =>
  res.body.requestError.serviceException.validationErrors;

describe("order-details and voice-call template buttons on the Infobip face", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_BUSINESS_VERIFIED: "true",
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  async function register(t: TestContext, name: string, structure: object, category = "UTILITY") {
    const body = { name, language: "en", category, structure };
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.request("post", TEMPLATES_SPEC, body), [], "a valid Infobip request"),
    );
    return server.call("POST", TEMPLATES, body);
  }

  async function send(templateName: string, templateData: object, messageId: string) {
    const body = {
      messages: [
        { from: SENDER, to: USER, messageId, content: { templateName, language: "en", templateData } },
      ],
    };
    return { body, res: await server.call("POST", "/whatsapp/1/message/template", body) };
  }

  async function received(messageId: string) {
    const dlr = await hooks.waitForResult("/dlr", (r) => r.messageId === messageId);
    assert.equal(dlr.status.groupName, "DELIVERED", JSON.stringify(dlr.error));
    const phone = await server.call("GET", `/sandbox/phones/${USER}/messages`);
    return phone.body.messages.find((m: { messageId: string }) => m.messageId === messageId);
  }

  it("registers an ORDER_DETAILS button only alone and with a variant", async (t) => {
    const alone = await register(t, "pedido_mixed", {
      body: { text: "Your order is ready." },
      buttons: [
        { type: "ORDER_DETAILS", variant: "BRAZIL" },
        { type: "QUICK_REPLY", text: "Later" },
      ],
    });
    assert.equal(alone.status, 400);
    assert.match(
      errorsOf(alone)["structure.buttons"]?.[0] ?? "",
      /ORDER_DETAILS button must be the only button/,
    );
    const noVariant = await server.call("POST", TEMPLATES, {
      name: "pedido_novariant",
      language: "en",
      category: "UTILITY",
      structure: { body: { text: "Your order is ready." }, buttons: [{ type: "ORDER_DETAILS" }] },
    });
    assert.equal(noVariant.status, 400);
    assert.ok(errorsOf(noVariant)["structure.buttons[0].variant"]);

    const created = await register(t, "pedido_pix", {
      body: { text: "Your order {{1}} is ready.", examples: ["42"] },
      buttons: [{ type: "ORDER_DETAILS", text: "Revisar e pagar", variant: "BRAZIL" }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.structure.buttons, [
      { type: "ORDER_DETAILS", text: "Revisar e pagar", variant: "BRAZIL" },
    ]);
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.response("post", TEMPLATES_SPEC, 201, created.body), []),
    );
  });

  it("sends the order of an ORDER_DETAILS button, and the phone gets exactly that order", async (t) => {
    await server.call("POST", `/sandbox/phones/${USER}/messages`, { to: SENDER, text: "hi" });
    const { body, res } = await send(
      "pedido_pix",
      { body: { placeholders: ["42"] }, buttons: [{ type: "ORDER_DETAILS", action: pixAction() }] },
      "pix-ok",
    );
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(
        c.request("post", "/whatsapp/1/message/template", body),
        [],
        "a valid Infobip request",
      ),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = await received("pix-ok");
    assert.deepEqual(got.content.buttons, [
      {
        type: "ORDER_DETAILS",
        action: {
          payment: {
            type: "BRAZIL_PIX_DC",
            id: "pedido-7",
            code: "00020101021226700014br.gov.bcb.pix",
            merchantName: "Loja",
            keyType: "CNPJ",
            key: "39580525000189",
          },
          currency: "BRL",
          orderType: "PHYSICAL_GOODS",
          totalAmount: 9500,
          order: {
            items: [{ retailerId: "bolo-1", name: "Bolo", amount: 5000, saleAmount: 4000, quantity: 2 }],
            subtotal: 8000,
            tax: { value: 500, description: "ICMS" },
            shipping: { value: 1000 },
          },
        },
      },
    ]);
  });

  it("checks the button's order by the order-details rules and the variant, naming the field", async () => {
    const at = "messages[0].content.templateData.buttons[0]";
    const cases: [string, (a: Json) => void, string][] = [
      [
        "total",
        (a) => {
          a.totalAmount.value = 9000;
        },
        `${at}.action.totalAmount.value`,
      ],
      [
        "subtotal",
        (a) => {
          a.order.subtotal.value = 1;
        },
        `${at}.action.order.subtotal.value`,
      ],
      [
        "currency",
        (a) => {
          a.orderCurrency = "INR";
        },
        `${at}.action.orderCurrency`,
      ],
      [
        "config",
        (a) => {
          a.payment = { type: "BRAZIL_LINK", id: "pedido-7", paymentLink: "https://pay.example.com" };
          a.paymentConfiguration = "cfg";
        },
        `${at}.action.paymentConfiguration`,
      ],
      [
        "reference",
        (a) => {
          a.payment.id = "no spaces allowed";
        },
        `${at}.action.payment.id`,
      ],
      [
        "item name",
        (a) => {
          a.order.items[0].name = "x".repeat(61);
        },
        `${at}.action.order.items[0].name`,
      ],
      [
        "missing pix key",
        (a) => {
          delete a.payment.key;
        },
        `${at}.action.payment.key`,
      ],
      [
        "india payment on a brazil button",
        (a) => {
          a.payment = { type: "UPI_LINK", id: "r-1", paymentLink: "https://upi.example.com" };
          a.orderCurrency = "INR";
        },
        `${at}.action.payment.type`,
      ],
    ];
    for (const [name, edit, field] of cases) {
      const action = pixAction();
      edit(action);
      const { res } = await send(
        "pedido_pix",
        { body: { placeholders: ["42"] }, buttons: [{ type: "ORDER_DETAILS", action }] },
        `pix-${name}`,
      );
      assert.equal(res.status, 400, name);
      assert.ok(errorsOf(res)[field], `${name}: ${JSON.stringify(errorsOf(res))}`);
    }
    const { res: none } = await send(
      "pedido_pix",
      { body: { placeholders: ["42"] }, buttons: [{ type: "ORDER_DETAILS" }] },
      "pix-no-action",
    );
    assert.equal(none.status, 400);
    assert.ok(errorsOf(none)[`${at}.action`]);
    const { res: bare } = await send("pedido_pix", { body: { placeholders: ["42"] } }, "pix-bare");
    assert.equal(bare.status, 400);
    assert.ok(errorsOf(bare)["messages[0].content.templateData.buttons"]);
  });

  it("sends an INDIA variant with a payment gateway order", async (t) => {
    assert.equal(
      (
        await register(t, "bill_in", {
          body: { text: "Your bill is ready." },
          buttons: [{ type: "ORDER_DETAILS", variant: "INDIA" }],
        })
      ).status,
      201,
    );
    const action = pixAction();
    action.payment = { type: "PG_RAZORPAY", id: "bill-9", callbackData: { orderId: "9" } };
    action.paymentConfiguration = "razorpay-main";
    action.orderCurrency = "INR";
    const { res } = await send(
      "bill_in",
      { body: { placeholders: [] }, buttons: [{ type: "ORDER_DETAILS", action }] },
      "bill-ok",
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = await received("bill-ok");
    assert.deepEqual(got.content.buttons[0].action.payment, {
      type: "PG_RAZORPAY",
      id: "bill-9",
      callbackData: { orderId: "9" },
    });
    assert.equal(got.content.buttons[0].action.paymentConfiguration, "razorpay-main");
  });

  it("registers a static VOICE_CALL button, takes its optional values at send, and checks their limits", async (t) => {
    const tooShort = await server.call("POST", TEMPLATES, {
      name: "call_us_bad",
      language: "en",
      category: "UTILITY",
      structure: {
        body: { text: "Questions? Call us." },
        buttons: [{ type: "VOICE_CALL", text: "Call us", callValidityPeriod: 60 }],
      },
    });
    assert.equal(tooShort.status, 400);
    assert.ok(errorsOf(tooShort)["structure.buttons[0].callValidityPeriod"]);
    const two = await server.call("POST", TEMPLATES, {
      name: "call_us_twice",
      language: "en",
      category: "UTILITY",
      structure: {
        body: { text: "Questions? Call us." },
        buttons: [
          { type: "VOICE_CALL", text: "Call us" },
          { type: "VOICE_CALL", text: "Call again" },
        ],
      },
    });
    assert.equal(two.status, 400);
    assert.match(errorsOf(two)["structure.buttons"]?.[0] ?? "", /at most 1 VOICE_CALL/);

    const created = await register(t, "call_us", {
      body: { text: "Questions? Call us." },
      buttons: [
        { type: "QUICK_REPLY", text: "Thanks" },
        { type: "VOICE_CALL", text: "Call us", callValidityPeriod: 1440 },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.structure.buttons[1], {
      type: "VOICE_CALL",
      text: "Call us",
      callValidityPeriod: 1440,
    });

    const plain = await send(
      "call_us",
      { body: { placeholders: [] }, buttons: [{ type: "QUICK_REPLY", parameter: "thanks" }] },
      "call-plain",
    );
    assert.equal(plain.res.status, 200, JSON.stringify(plain.res.body));
    const valued = await send(
      "call_us",
      {
        body: { placeholders: [] },
        buttons: [
          { type: "QUICK_REPLY", parameter: "thanks" },
          { type: "VOICE_CALL", callValidityPeriod: 120, callContextPayload: "case-5" },
        ],
      },
      "call-valued",
    );
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.request("post", "/whatsapp/1/message/template", valued.body), []),
    );
    assert.equal(valued.res.status, 200, JSON.stringify(valued.res.body));
    const got = await received("call-valued");
    assert.deepEqual(got.content.buttons, [
      { type: "QUICK_REPLY", parameter: "thanks" },
      { type: "VOICE_CALL", callValidityPeriod: 120, callContextPayload: "case-5" },
    ]);

    const long = await send(
      "call_us",
      {
        body: { placeholders: [] },
        buttons: [
          { type: "QUICK_REPLY", parameter: "t" },
          { type: "VOICE_CALL", callValidityPeriod: 50000 },
        ],
      },
      "call-long",
    );
    assert.equal(long.res.status, 400);
    assert.ok(errorsOf(long.res)["messages[0].content.templateData.buttons[1].callValidityPeriod"]);
    const stray = await send(
      "pedido_pix",
      {
        body: { placeholders: ["42"] },
        buttons: [{ type: "ORDER_DETAILS", action: pixAction() }, { type: "VOICE_CALL" }],
      },
      "call-stray",
    );
    assert.equal(stray.res.status, 400);
    assert.ok(errorsOf(stray.res)["messages[0].content.templateData.buttons[1].type"]);
  });
});
