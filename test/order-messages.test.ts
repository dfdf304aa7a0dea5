/**
 * Interactive order-details and order-status messages on the Infobip face: Infobip's own request
 * examples are delivered, the phone gets exactly what was sent, and each limit is a 400 naming
 * the field.
 */
import assert from "node:assert/strict";
import { after, before, describe, it, type TestContext } from "node:test";
import { checkContract, loadInfobipContract, referenceSkip } from "./support/contracts.ts";
import { SENDER, startServer, type TestServer } from "./support/harness.ts";
import { bytes, MediaServer } from "./support/media-server.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const DETAILS = "/whatsapp/1/message/interactive/order-details";
const STATUS = "/whatsapp/1/message/interactive/order-status";

// biome-ignore lint/suspicious/noExplicitAny: request bodies are edited field by field
type Json = any;

/** An UPI PayU order: two items (one on sale), tax, shipping, a discount and an expiry. */
function upiOrder(headerUrl: string): Json {
  return {
    body: { text: "Your order" },
    header: { type: "IMAGE", mediaUrl: headerUrl },
    footer: { text: "Thank you" },
    action: {
      payment: {
        type: "UPI_PAYU",
        id: "ref-42",
        productDescription: "T-shirts",
        customerFirstName: "Asha",
        customerLastName: "Rao",
        customerEmail: "asha@example.com",
        callbackData: ["c1"],
      },
      paymentConfiguration: "payu-config",
      orderCurrency: "INR",
      orderType: "PHYSICAL_GOODS",
      totalAmount: { value: 21000 },
      order: {
        catalogId: "cat-1",
        items: [
          {
            retailerId: "tee-1",
            name: "Blue tee",
            amount: { value: 10000 },
            saleAmount: { value: 5000 },
            quantity: 2,
          },
          { retailerId: "tee-2", name: "Red tee", amount: { value: 10000 }, quantity: 1 },
        ],
        subtotal: { value: 20000 },
        tax: { value: 1000, description: "GST" },
        shipping: { value: 1000 },
        discount: { amount: { value: 1000 }, programName: "Members" },
        orderExpiration: { expirationSeconds: 900, description: "Pay within 15 minutes" },
      },
    },
  };
}

const brazilLink = (): Json => {
  const c = upiOrder("");
  delete c.header;
  c.action.payment = { type: "BRAZIL_LINK", id: "pedido-1", paymentLink: "https://pay.example.com/1" };
  delete c.action.paymentConfiguration;
  c.action.orderCurrency = "BRL";
  return c;
};

describe("order messages on the Infobip face", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const media = new MediaServer();
  const user = "447700912001";
  let picture = "";

  before(async () => {
    await hooks.start();
    await media.start();
    picture = media.put("/order.jpg", "image/jpeg", bytes(1000));
    server = await startServer({ OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`, OPENBSP_MEDIA_DOWNLOAD: "true" });
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "I'd like to order" });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
    await media.stop();
  });

  async function deliver(t: TestContext, path: string, content: Json, messageId: string) {
    const body = { from: SENDER, to: user, messageId, content };
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.request("post", path, body), [], "a valid Infobip request"),
    );
    const res = await server.call("POST", path, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const dlr = await hooks.waitForResult("/dlr", (r) => r.messageId === messageId);
    assert.equal(dlr.status.groupName, "DELIVERED", JSON.stringify(dlr.error));
    const phone = await server.call("GET", `/sandbox/phones/${user}/messages`);
    return phone.body.messages.find((m: { messageId: string }) => m.messageId === messageId);
  }

  it("delivers order details, and the phone gets exactly the order and its picture", async (t) => {
    const got = await deliver(t, DETAILS, upiOrder(picture), "order-upi");
    assert.deepEqual(got.content, {
      type: "interactive_order_details",
      body: "Your order",
      header: { type: "IMAGE", mediaUrl: picture },
      footer: "Thank you",
      payment: {
        type: "UPI_PAYU",
        id: "ref-42",
        productDescription: "T-shirts",
        customerFirstName: "Asha",
        customerLastName: "Rao",
        customerEmail: "asha@example.com",
        callbackData: ["c1"],
      },
      paymentConfiguration: "payu-config",
      currency: "INR",
      orderType: "PHYSICAL_GOODS",
      totalAmount: 21000,
      order: {
        catalogId: "cat-1",
        items: [
          { retailerId: "tee-1", name: "Blue tee", amount: 10000, saleAmount: 5000, quantity: 2 },
          { retailerId: "tee-2", name: "Red tee", amount: 10000, quantity: 1 },
        ],
        subtotal: 20000,
        tax: { value: 1000, description: "GST" },
        shipping: { value: 1000 },
        discount: { amount: { value: 1000 }, programName: "Members" },
        expiration: { seconds: 900, description: "Pay within 15 minutes" },
      },
    });
    assert.equal(got.media.contentType, "image/jpeg");
  });

  it("delivers an order status, exactly as sent", async (t) => {
    const content = {
      body: { text: "On its way" },
      action: {
        payment: { type: "UPI_PAYU", id: "ref-42" },
        status: "SHIPPED",
        description: "Shipped today",
      },
    };
    const got = await deliver(t, STATUS, content, "order-status");
    assert.deepEqual(got.content, {
      type: "interactive_order_status",
      body: "On its way",
      payment: { type: "UPI_PAYU", id: "ref-42" },
      status: "SHIPPED",
      description: "Shipped today",
    });
    const bare = await deliver(
      t,
      STATUS,
      { action: { payment: { type: "BRAZIL_BOLETO", id: "pedido-1" }, status: "CANCELED" } },
      "order-status-bare",
    );
    assert.deepEqual(bare.content, {
      type: "interactive_order_status",
      payment: { type: "BRAZIL_BOLETO", id: "pedido-1" },
      status: "CANCELED",
    });
  });

  it("delivers every one of Infobip's own order-details and order-status examples", {
    skip: referenceSkip(),
  }, async (t) => {
    const contract = loadInfobipContract();
    let n = 0;
    for (const path of [DETAILS, STATUS]) {
      for (const [name, example] of Object.entries(contract.requestExamples("post", path)) as [
        string,
        Json,
      ][]) {
        const content = structuredClone(example.content);
        if (content.header?.mediaUrl) content.header.mediaUrl = picture;
        const got = await deliver(t, path, content, `example-${n++}`);
        assert.equal(
          got.content.type,
          path === DETAILS ? "interactive_order_details" : "interactive_order_status",
          name,
        );
        assert.equal(got.content.payment.type, content.action.payment.type, name);
      }
    }
    assert.ok(n >= 12, `only ${n} examples`);
  });

  const edit = (base: () => Json, change: (c: Json) => void) => () => {
    const c = base();
    change(c);
    return c;
  };
  const upi = () => upiOrder("https://media.example.com/order.jpg");
  const invalid: [string, () => Json, string][] = [
    ["an empty body", edit(upi, (c) => (c.body.text = " ")), "content.body.text"],
    [
      "a footer over 60 characters",
      edit(upi, (c) => (c.footer.text = "f".repeat(61))),
      "content.footer.text",
    ],
    [
      "a header that is not a link",
      edit(upi, (c) => (c.header.mediaUrl = "order.jpg")),
      "content.header.mediaUrl",
    ],
    [
      "a UPI PayU id over 25 characters",
      edit(upi, (c) => (c.action.payment.id = "i".repeat(26))),
      "content.action.payment.id",
    ],
    [
      "a reference id with spaces",
      edit(brazilLink, (c) => (c.action.payment.id = "order 1")),
      "content.action.payment.id",
    ],
    [
      "a product description over 100 characters",
      edit(upi, (c) => (c.action.payment.productDescription = "d".repeat(101))),
      "content.action.payment.productDescription",
    ],
    [
      "a customer first name over 60 characters",
      edit(upi, (c) => (c.action.payment.customerFirstName = "n".repeat(61))),
      "content.action.payment.customerFirstName",
    ],
    [
      "a customer last name over 20 characters",
      edit(upi, (c) => (c.action.payment.customerLastName = "n".repeat(21))),
      "content.action.payment.customerLastName",
    ],
    [
      "a customer email over 50 characters",
      edit(upi, (c) => (c.action.payment.customerEmail = `${"e".repeat(40)}@example.com`)),
      "content.action.payment.customerEmail",
    ],
    [
      "no customer email",
      edit(upi, (c) => delete c.action.payment.customerEmail),
      "content.action.payment.customerEmail",
    ],
    [
      "six UPI PayU callback values",
      edit(upi, (c) => (c.action.payment.callbackData = ["1", "2", "3", "4", "5", "6"])),
      "content.action.payment.callbackData",
    ],
    [
      "a callback value over 255 characters",
      edit(upi, (c) => (c.action.payment.callbackData = ["c".repeat(256)])),
      "content.action.payment.callbackData[0]",
    ],
    [
      "a PG PayU beneficiary postal code of five digits",
      edit(upi, (c) => {
        c.action.payment = {
          type: "PG_PAYU",
          id: "pg-1",
          beneficiary: { name: "A", firstAddressLine: "B", country: "INDIA", postalCode: "12345" },
        };
      }),
      "content.action.payment.beneficiary.postalCode",
    ],
    [
      "five PG PayU callback values",
      edit(
        upi,
        (c) => (c.action.payment = { type: "PG_PAYU", id: "pg-1", callbackData: ["1", "2", "3", "4", "5"] }),
      ),
      "content.action.payment.callbackData",
    ],
    [
      "a Pix payment without its key",
      edit(brazilLink, (c) => {
        c.action.payment = {
          type: "BRAZIL_PIX_DC",
          id: "pix-1",
          code: "000201",
          merchantName: "Loja",
          keyType: "EMAIL",
        };
      }),
      "content.action.payment.key",
    ],
    [
      "three Brazil payment options",
      edit(brazilLink, (c) => {
        const boleto = (id: string) => ({ type: "BRAZIL_BOLETO", id, code: "0339" });
        c.action.payment = { type: "BRAZIL_PAYMENTS", payments: [boleto("a"), boleto("b"), boleto("c")] };
      }),
      "content.action.payment.payments",
    ],
    [
      "a payment configuration over 60 characters",
      edit(upi, (c) => (c.action.paymentConfiguration = "p".repeat(61))),
      "content.action.paymentConfiguration",
    ],
    [
      "no payment configuration for UPI PayU",
      edit(upi, (c) => delete c.action.paymentConfiguration),
      "content.action.paymentConfiguration",
    ],
    [
      "a payment configuration for a Brazil link",
      edit(brazilLink, (c) => (c.action.paymentConfiguration = "cfg")),
      "content.action.paymentConfiguration",
    ],
    [
      "a UPI order in BRL",
      edit(upi, (c) => (c.action.orderCurrency = "BRL")),
      "content.action.orderCurrency",
    ],
    ["no items", edit(upi, (c) => (c.action.order.items = [])), "content.action.order.items"],
    [
      "an item name over 60 characters",
      edit(upi, (c) => (c.action.order.items[0].name = "n".repeat(61))),
      "content.action.order.items[0].name",
    ],
    [
      "a quantity of 0",
      edit(upi, (c) => (c.action.order.items[1].quantity = 0)),
      "content.action.order.items[1].quantity",
    ],
    [
      "a subtotal that is not the items' sum",
      edit(upi, (c) => (c.action.order.subtotal.value = 30000)),
      "content.action.order.subtotal.value",
    ],
    [
      "a total that does not add up",
      edit(upi, (c) => (c.action.totalAmount.value = 22000)),
      "content.action.totalAmount.value",
    ],
    [
      "a tax description over 60 characters",
      edit(upi, (c) => (c.action.order.tax.description = "t".repeat(61))),
      "content.action.order.tax.description",
    ],
    [
      "a discount program name over 60 characters",
      edit(upi, (c) => (c.action.order.discount.programName = "p".repeat(61))),
      "content.action.order.discount.programName",
    ],
    [
      "an expiry under 360 seconds",
      edit(upi, (c) => (c.action.order.orderExpiration.expirationSeconds = 359)),
      "content.action.order.orderExpiration.expirationSeconds",
    ],
    [
      "an expiry description over 120 characters",
      edit(upi, (c) => (c.action.order.orderExpiration.description = "d".repeat(121))),
      "content.action.order.orderExpiration.description",
    ],
    [
      "items without catalog or importer",
      edit(upi, (c) => delete c.action.order.catalogId),
      "content.action.order.items[0].importerName",
    ],
    [
      "importer details on a Brazil order",
      edit(brazilLink, (c) => (c.action.order.items[0].originCountry = "IN")),
      "content.action.order.items[0].originCountry",
    ],
    [
      "an unknown currency",
      edit(upi, (c) => (c.action.orderCurrency = "EUR")),
      "content.action.orderCurrency",
    ],
  ];
  for (const [what, content, field] of invalid) {
    it(`rejects order details with ${what}, naming ${field}`, async () => {
      const res = await server.call("POST", DETAILS, { from: SENDER, to: user, content: content() });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const errors = res.body.requestError.serviceException.validationErrors;
      assert.ok(errors[field], `expected ${field} in ${JSON.stringify(errors)}`);
    });
  }

  const status = (change: (a: Json) => void) => {
    const action: Json = { payment: { type: "BRAZIL", id: "pedido-1" }, status: "PROCESSING" };
    change(action);
    return { action };
  };
  const invalidStatus: [string, Json, string][] = [
    [
      "a description over 120 characters",
      status((a) => (a.description = "d".repeat(121))),
      "content.action.description",
    ],
    [
      "a reference id over 35 characters",
      status((a) => (a.payment.id = "i".repeat(36))),
      "content.action.payment.id",
    ],
    ["an unknown status", status((a) => (a.status = "LOST")), "content.action.status"],
    [
      "a BRAZIL_PAYMENTS payment",
      status((a) => (a.payment.type = "BRAZIL_PAYMENTS")),
      "content.action.payment.type",
    ],
    ["an empty body", { ...status(() => {}), body: { text: "" } }, "content.body.text"],
  ];
  for (const [what, content, field] of invalidStatus) {
    it(`rejects an order status with ${what}, naming ${field}`, async () => {
      const res = await server.call("POST", STATUS, { from: SENDER, to: user, content });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const errors = res.body.requestError.serviceException.validationErrors;
      assert.ok(errors[field], `expected ${field} in ${JSON.stringify(errors)}`);
    });
  }
});
