/**
 * Orders on the Meta face: interactive `order_details` (review_and_pay) and `order_status`
 * (review_order), and a template's `order_details` button, land on the same core order content
 * as Infobip's (amounts `{value, offset}` in hundredths); the core's rules answer with Meta's codes,
 * and a payment setup the core has no counterpart for is named (131009).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { metaCall, PHONE_ID, type Value } from "./support/meta.ts";

const USER = "447700914001";

/** Meta's own example order (bread with a sale price, tax, shipping, discount) paid by Pix. */
function pixOrder(): Value {
  return {
    reference_id: "pedido-9",
    type: "physical-goods",
    payment_type: "br",
    payment_settings: [
      {
        type: "pix_dynamic_code",
        pix_dynamic_code: {
          code: "00020101021226700014br.gov.bcb.pix",
          merchant_name: "Padaria",
          key: "39580525000189",
          key_type: "CNPJ",
        },
      },
    ],
    currency: "BRL",
    total_amount: { value: 1100, offset: 100 },
    order: {
      status: "pending",
      items: [
        {
          retailer_id: "1234567",
          name: "bread",
          amount: { value: 1500, offset: 100 },
          sale_amount: { value: 1000, offset: 100 },
          quantity: 1,
        },
      ],
      subtotal: { value: 1000, offset: 100 },
      tax: { value: 100, offset: 100, description: "ICMS" },
      shipping: { value: 100, offset: 100 },
      discount: { value: 100, offset: 100, description: "loyal", discount_program_name: "Amigos" },
    },
  };
}

/** What the phone gets for pixOrder(): the core's order content. */
const PIX_CORE = {
  payment: {
    type: "BRAZIL_PIX_DC",
    id: "pedido-9",
    code: "00020101021226700014br.gov.bcb.pix",
    merchantName: "Padaria",
    keyType: "CNPJ",
    key: "39580525000189",
  },
  currency: "BRL",
  orderType: "PHYSICAL_GOODS",
  totalAmount: 1100,
  order: {
    items: [{ retailerId: "1234567", name: "bread", amount: 1500, saleAmount: 1000, quantity: 1 }],
    subtotal: 1000,
    tax: { value: 100, description: "ICMS" },
    shipping: { value: 100 },
    discount: { amount: { value: 100, description: "loyal" }, programName: "Amigos" },
  },
};

describe("orders on the Meta face", () => {
  let server: TestServer;
  const send = (body: Record<string, unknown>) =>
    metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: USER,
      ...body,
    });
  const details = (parameters: Value, extra: Value = {}) => ({
    type: "interactive",
    interactive: {
      type: "order_details",
      body: { text: "Seu pedido" },
      action: { name: "review_and_pay", parameters },
      ...extra,
    },
  });
  const received = async (id: string) =>
    eventually(
      async () =>
        ((await server.call("GET", `/sandbox/phones/${USER}/messages`)).body.messages as Value[]).find(
          (m) => m.messageId === id,
        ),
      5000,
      "the phone",
    );

  before(async () => {
    server = await startServer({ OPENBSP_BUSINESS_VERIFIED: "true" });
    await server.call("POST", `/sandbox/phones/${USER}/messages`, { to: SENDER, text: "quero pedir" });
  });
  after(async () => {
    await server.close();
  });

  it("delivers order_details, and the phone gets the core order with amounts in hundredths", async () => {
    const res = await send(details(pixOrder(), { footer: { text: "Obrigado" } }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = await received(res.body.messages[0].id);
    assert.deepEqual(got.content, {
      type: "interactive_order_details",
      body: "Seu pedido",
      footer: "Obrigado",
      ...PIX_CORE,
    });
  });

  it("maps each payment setup onto the core's payment types", async () => {
    const cases: [string, (p: Value) => void, Value, string?][] = [
      [
        "boleto",
        (p) => {
          p.payment_settings = [{ type: "boleto", boleto: { digitable_line: "0339..." } }];
        },
        { type: "BRAZIL_BOLETO", id: "pedido-9", code: "0339..." },
      ],
      [
        "link and boleto",
        (p) => {
          p.payment_settings = [
            { type: "payment_link", payment_link: { uri: "https://pay.example.com/9" } },
            { type: "boleto", boleto: { digitable_line: "0339" } },
          ];
        },
        {
          type: "BRAZIL_PAYMENTS",
          payments: [
            { type: "BRAZIL_LINK", id: "pedido-9", paymentLink: "https://pay.example.com/9" },
            { type: "BRAZIL_BOLETO", id: "pedido-9", code: "0339" },
          ],
        },
      ],
      [
        "razorpay",
        (p) => {
          p.currency = "INR";
          delete p.payment_type;
          p.payment_settings = [
            {
              type: "payment_gateway",
              payment_gateway: {
                type: "razorpay",
                configuration_name: "rzp-main",
                razorpay: { notes: { order: "9" } },
              },
            },
          ];
        },
        { type: "PG_RAZORPAY", id: "pedido-9", callbackData: { order: "9" } },
        "rzp-main",
      ],
      [
        "upi intent",
        (p) => {
          p.currency = "INR";
          p.payment_settings = [
            { type: "upi_intent_link", upi_intent_link: { link: "upi://pay?pa=shop@bank&tr=pedido-9" } },
          ];
        },
        {
          type: "UPI_INTENT",
          id: "pedido-9",
          format: { type: "LINK", paymentLink: "upi://pay?pa=shop@bank&tr=pedido-9" },
        },
      ],
    ];
    for (const [name, edit, payment, configuration] of cases) {
      const p = pixOrder();
      edit(p);
      const res = await send(details(p));
      assert.equal(res.status, 200, `${name}: ${JSON.stringify(res.body)}`);
      const got = await received(res.body.messages[0].id);
      assert.deepEqual(got.content.payment, payment, name);
      assert.equal(got.content.paymentConfiguration, configuration, name);
    }
  });

  it("answers each broken rule with Meta's code, naming Meta's field", async () => {
    const at = "interactive.action.parameters";
    const cases: [string, (p: Value) => void, number, string][] = [
      [
        "wrong total",
        (p) => {
          p.total_amount.value = 1000;
        },
        131009,
        `${at}.total_amount.value`,
      ],
      [
        "wrong subtotal",
        (p) => {
          p.order.subtotal.value = 900;
        },
        131009,
        `${at}.order.subtotal.value`,
      ],
      [
        "long item name",
        (p) => {
          p.order.items[0].name = "x".repeat(61);
        },
        131009,
        `${at}.order.items[0].name`,
      ],
      [
        "bad reference id",
        (p) => {
          p.reference_id = "has spaces";
        },
        131009,
        `${at}.reference_id`,
      ],
      [
        "wrong currency for pix",
        (p) => {
          p.currency = "INR";
        },
        131009,
        `${at}.currency`,
      ],
      [
        "missing tax",
        (p) => {
          delete p.order.tax;
        },
        131008,
        `${at}.order.tax`,
      ],
      [
        "missing pix key",
        (p) => {
          delete p.payment_settings[0].pix_dynamic_code.key;
        },
        131008,
        `${at}.payment_settings[0].pix_dynamic_code.key`,
      ],
      [
        "fractional offset",
        (p) => {
          p.total_amount = { value: 11001, offset: 1000 };
        },
        131009,
        `${at}.total_amount.offset`,
      ],
      [
        "not pending",
        (p) => {
          p.order.status = "shipped";
        },
        131009,
        `${at}.order.status`,
      ],
      [
        "short expiry",
        (p) => {
          p.order.expiration = { timestamp: String(Math.floor(Date.now() / 1000) + 60), description: "soon" };
        },
        131009,
        `${at}.order.expiration.timestamp`,
      ],
      // Meta's own example: a UPI payment configuration (PayU) needs customer fields Meta does not send.
      [
        "legacy upi configuration",
        (p) => {
          delete p.payment_settings;
          p.payment_type = "upi";
          p.payment_configuration = "cfg";
          p.currency = "INR";
        },
        131009,
        `${at}.payment_type`,
      ],
      [
        "unbuilt gateway",
        (p) => {
          p.currency = "INR";
          p.payment_settings = [
            { type: "payment_gateway", payment_gateway: { type: "billdesk", configuration_name: "bd" } },
          ];
        },
        131009,
        `${at}.payment_settings[0].payment_gateway.type`,
      ],
      [
        "razorpay receipt",
        (p) => {
          p.currency = "INR";
          p.payment_settings = [
            {
              type: "payment_gateway",
              payment_gateway: { type: "razorpay", configuration_name: "r", razorpay: { receipt: "x" } },
            },
          ];
        },
        131009,
        `${at}.payment_settings[0].payment_gateway.razorpay.receipt`,
      ],
      [
        "no order",
        (p) => {
          delete p.order;
        },
        131009,
        `${at}.order`,
      ],
    ];
    for (const [name, edit, code, field] of cases) {
      const p = pixOrder();
      edit(p);
      const res = await send(details(p));
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, code, `${name}: ${JSON.stringify(res.body)}`);
      assert.ok(
        res.body.error.error_data.details.includes(field),
        `${name}: ${res.body.error.error_data.details}`,
      );
    }
    const textHeader = await send(details(pixOrder(), { header: { type: "text", text: "Pedido" } }));
    assert.equal(textHeader.body.error.code, 131009);
    assert.match(textHeader.body.error.error_data.details, /interactive\.header\.type/);
  });

  it("delivers order_status by reference id, and names a status the core does not have", async () => {
    const status = (order: Value) => ({
      type: "interactive",
      interactive: {
        type: "order_status",
        body: { text: "Atualização" },
        action: { name: "review_order", parameters: { reference_id: "pedido-9", order } },
      },
    });
    const res = await send(status({ status: "shipped", description: "Saiu para entrega" }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = await received(res.body.messages[0].id);
    assert.deepEqual(got.content, {
      type: "interactive_order_status",
      body: "Atualização",
      payment: { id: "pedido-9" },
      status: "SHIPPED",
      description: "Saiu para entrega",
    });
    const captured = await send(status({ status: "captured" }));
    assert.equal(captured.body.error.code, 131009);
    assert.match(captured.body.error.error_data.details, /interactive\.action\.parameters\.order\.status/);
    const long = await send(status({ status: "completed", description: "x".repeat(121) }));
    assert.equal(long.body.error.code, 131009);
    assert.match(long.body.error.error_data.details, /interactive\.action\.parameters\.order\.description/);
  });

  it("sends a template's order_details button with the order, checked by the same rules", async () => {
    const created = await server.call("POST", `/whatsapp/2/senders/${SENDER}/templates`, {
      name: "pedido_meta",
      language: "pt_BR",
      category: "UTILITY",
      structure: {
        body: { text: "Seu pedido está pronto." },
        buttons: [{ type: "ORDER_DETAILS", variant: "BRAZIL" }],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const template = (order: Value) => ({
      type: "template",
      template: {
        name: "pedido_meta",
        language: { code: "pt_BR" },
        components: [
          {
            type: "button",
            sub_type: "order_details",
            index: 0,
            parameters: [{ type: "action", action: { order_details: order } }],
          },
        ],
      },
    });
    const res = await send(template(pixOrder()));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = await received(res.body.messages[0].id);
    assert.deepEqual(got.content.buttons, [{ type: "ORDER_DETAILS", action: PIX_CORE }]);

    const wrong = pixOrder();
    wrong.total_amount.value = 5;
    const bad = await send(template(wrong));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 131009);
    assert.match(
      bad.body.error.error_data.details,
      /template\.components\[button\]\[0\]\.parameters\[0\]\.action\.order_details\.total_amount\.value/,
    );
    const india = pixOrder();
    india.currency = "INR";
    india.payment_settings = [{ type: "upi_intent_link", upi_intent_link: { link: "upi://pay?tr=1" } }];
    const variant = await send(template(india));
    assert.equal(variant.body.error.code, 132012, JSON.stringify(variant.body));
    assert.match(variant.body.error.error_data.details, /order_details\.payment_settings/);
  });
});
