import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { OrderDetailsAction, OrderItem, OrderStatusContent } from "../../src/core/order-content.ts";
import { checkOrderAction, checkOrderStatus, currencyOf } from "../../src/core/order-rules.ts";

/** A Pix order for two items: 2 × 10.00 + 1 × 5.50 (on sale from 7.00) = 25.50, + 1.00 tax + 2.00 shipping − 0.50 discount. */
function pixOrder(
  change: {
    items?: OrderItem[];
    subtotal?: number;
    total?: number;
    extra?: Partial<OrderDetailsAction>;
  } = {},
): OrderDetailsAction {
  return {
    payment: {
      type: "BRAZIL_PIX_DC",
      id: "pedido-1",
      code: "000201",
      merchantName: "Loja",
      keyType: "EMAIL",
      key: "pix@loja.example",
    },
    currency: "BRL",
    orderType: "PHYSICAL_GOODS",
    totalAmount: change.total ?? 2800,
    order: {
      items: change.items ?? [
        { retailerId: "sku-1", name: "Mug", amount: 1000, quantity: 2 },
        { retailerId: "sku-2", name: "Spoon", amount: 700, saleAmount: 550, quantity: 1 },
      ],
      subtotal: change.subtotal ?? 2550,
      tax: { value: 100 },
      shipping: { value: 200 },
      discount: { amount: { value: 50 } },
    },
    ...change.extra,
  };
}
const fields = (a: OrderDetailsAction) => checkOrderAction(a, "action").map((e) => e.field);

describe("order amounts", () => {
  it("accepts a subtotal that is the sum of (sale) amounts times quantities and total = subtotal + tax + shipping − discount", () => {
    assert.deepEqual(checkOrderAction(pixOrder(), "action"), []);
  });

  it("refuses a subtotal one hundredth off, either way, with the right sum in the message", () => {
    for (const subtotal of [2549, 2551]) {
      const errors = checkOrderAction(pixOrder({ subtotal, total: subtotal + 250 }), "action");
      assert.deepEqual(errors, [
        {
          field: "action.order.subtotal.value",
          message: "must be the sum of the items' (sale) amounts times their quantities, 2550",
        },
      ]);
    }
  });

  it("counts the sale amount, not the list amount, when an item is on sale", () => {
    const items = [{ retailerId: "sku-2", name: "Spoon", amount: 700, saleAmount: 550, quantity: 3 }];
    assert.deepEqual(fields(pixOrder({ items, subtotal: 1650, total: 1900 })), []);
    assert.deepEqual(fields(pixOrder({ items, subtotal: 2100, total: 2350 })), [
      "action.order.subtotal.value",
    ]);
  });

  it("refuses a total one hundredth off, either way", () => {
    assert.deepEqual(checkOrderAction(pixOrder({ total: 2799 }), "action"), [
      { field: "action.totalAmount.value", message: "must be subtotal + tax + shipping - discount, 2800" },
    ]);
    assert.deepEqual(fields(pixOrder({ total: 2801 })), ["action.totalAmount.value"]);
  });

  it("shipping and discount are optional", () => {
    const base = pixOrder();
    const bare = {
      ...base,
      totalAmount: 2650,
      order: { items: base.order.items, subtotal: 2550, tax: { value: 100 } },
    };
    assert.deepEqual(fields(bare), []);
  });

  it("no negative amounts, at least one of each item, 1 to 999 items", () => {
    const item = { retailerId: "sku-1", name: "Mug", amount: 0, quantity: 1 };
    assert.deepEqual(fields(pixOrder({ items: [item], subtotal: 0, total: 250 })), []);
    assert.deepEqual(fields(pixOrder({ items: [{ ...item, amount: -1 }], subtotal: -1, total: 249 })), [
      "action.order.items[0].amount.value",
    ]);
    assert.deepEqual(fields(pixOrder({ items: [{ ...item, quantity: 0 }], subtotal: 0, total: 250 })), [
      "action.order.items[0].quantity",
    ]);
    assert.deepEqual(fields(pixOrder({ items: [], subtotal: 0, total: 250 })), ["action.order.items"]);
    const many = Array.from({ length: 999 }, (_, i) => ({ ...item, retailerId: `sku-${i}`, amount: 1 }));
    assert.deepEqual(fields(pixOrder({ items: many, subtotal: 999, total: 1249 })), []);
    const tooMany = [...many, { ...item, amount: 1 }];
    assert.deepEqual(fields(pixOrder({ items: tooMany, subtotal: 1000, total: 1250 })), [
      "action.order.items",
    ]);
  });
});

describe("order payments", () => {
  it("settles Brazilian payments in BRL and Indian ones in INR", () => {
    assert.equal(currencyOf("BRAZIL_PIX_DC"), "BRL");
    assert.equal(currencyOf("BRAZIL_PAYMENTS"), "BRL");
    assert.equal(currencyOf("BRAZIL"), "BRL");
    assert.equal(currencyOf("UPI_PAYU"), "INR");
    assert.equal(currencyOf("PG_RAZORPAY"), "INR");
    assert.deepEqual(fields(pixOrder({ extra: { currency: "INR" } })), ["action.orderCurrency"]);
  });

  it("a payment configuration: optional for Pix, required for Brazil, forbidden for a boleto; 1 to 60 characters", () => {
    assert.deepEqual(fields(pixOrder({ extra: { paymentConfiguration: "cfg" } })), []);
    assert.deepEqual(fields(pixOrder({ extra: { paymentConfiguration: "c".repeat(60) } })), []);
    assert.deepEqual(fields(pixOrder({ extra: { paymentConfiguration: "c".repeat(61) } })), [
      "action.paymentConfiguration",
    ]);
    assert.deepEqual(fields(pixOrder({ extra: { payment: { type: "BRAZIL", id: "p-1" } } })), [
      "action.paymentConfiguration",
    ]);
    assert.deepEqual(
      fields(pixOrder({ extra: { payment: { type: "BRAZIL", id: "p-1" }, paymentConfiguration: "cfg" } })),
      [],
    );
    assert.deepEqual(
      fields(pixOrder({ extra: { payment: { type: "BRAZIL_BOLETO", id: "p-1", code: "123" } } })),
      [],
    );
    assert.deepEqual(
      fields(
        pixOrder({
          extra: { payment: { type: "BRAZIL_BOLETO", id: "p-1", code: "123" }, paymentConfiguration: "cfg" },
        }),
      ),
      ["action.paymentConfiguration"],
    );
  });

  it("reference ids: 1 to 35 letters, digits, '-', '_' or '.'", () => {
    const withId = (id: string) =>
      pixOrder({ extra: { payment: { type: "BRAZIL_BOLETO", id, code: "123" } } });
    assert.deepEqual(fields(withId("a")), []);
    assert.deepEqual(fields(withId("A-b_c.9".padEnd(35, "x"))), []);
    assert.deepEqual(fields(withId("x".repeat(36))), ["action.payment.id"]);
    assert.deepEqual(fields(withId("")), ["action.payment.id"]);
    assert.deepEqual(fields(withId("pedido 1")), ["action.payment.id"]);
  });

  it("an order expires no sooner than 360 s", () => {
    const expiring = (seconds: number) => {
      const o = pixOrder();
      return { ...o, order: { ...o.order, expiration: { seconds, description: "Pay within the hour" } } };
    };
    assert.deepEqual(fields(expiring(360)), []);
    assert.deepEqual(fields(expiring(359)), ["action.order.orderExpiration.expirationSeconds"]);
  });

  it("an order status names its payment by a reference id and describes in at most 120 characters", () => {
    const status = (id: string, description?: string) => {
      const content: OrderStatusContent = {
        type: "interactive_order_status",
        payment: { type: "BRAZIL_BOLETO", id },
        status: "SHIPPED",
        ...(description !== undefined ? { description } : {}),
      };
      return checkOrderStatus(content).map((e) => e.field);
    };
    assert.deepEqual(status("pedido-1", "d".repeat(120)), []);
    assert.deepEqual(status("pedido-1", "d".repeat(121)), ["action.description"]);
    assert.deepEqual(status("pedido 1"), ["action.payment.id"]);
  });
});
