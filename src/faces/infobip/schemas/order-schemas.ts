/**
 * Request schemas of Infobip's interactive order-details and order-status sends (api-reference
 * A.5). The payment is one object whose `type` says which fields it needs; the translation checks
 * that they are there, and the core checks their limits.
 */
import { type Static, Type } from "typebox";
import { envelope } from "./common.ts";

const Text = Type.Object({ text: Type.String() });
const Amount = Type.Object({ value: Type.Integer() });
const NotedAmount = Type.Object({ value: Type.Integer(), description: Type.Optional(Type.String()) });

const PIX = {
  code: Type.Optional(Type.String()),
  merchantName: Type.Optional(Type.String()),
  keyType: Type.Optional(Type.Enum(["CPF", "CNPJ", "EMAIL", "PHONE", "EVP"])),
  key: Type.Optional(Type.String()),
  flowType: Type.Optional(Type.Enum(["REDIRECT", "COPYPASTE", "APPSWITCH"])),
  paymentLink: Type.Optional(Type.String()),
};

export const Beneficiary = Type.Object({
  name: Type.String(),
  firstAddressLine: Type.String(),
  secondAddressLine: Type.Optional(Type.String()),
  city: Type.Optional(Type.String()),
  state: Type.Optional(Type.String()),
  country: Type.Enum(["INDIA"]),
  postalCode: Type.Optional(Type.String()),
});

export const PAYMENT_TYPES = [
  "UPI_PAYU",
  "BRAZIL",
  "BRAZIL_PIX_DC",
  "BRAZIL_LINK",
  "BRAZIL_BOLETO",
  "BRAZIL_PAYMENTS",
  "PG_PAYU",
  "PG_RAZORPAY",
  "UPI_INTENT",
  "UPI_LINK",
] as const;

export const PaymentJson = Type.Object({
  type: Type.Enum(PAYMENT_TYPES),
  id: Type.Optional(Type.String()),
  productDescription: Type.Optional(Type.String()),
  customerFirstName: Type.Optional(Type.String()),
  customerLastName: Type.Optional(Type.String()),
  customerEmail: Type.Optional(Type.String()),
  callbackData: Type.Optional(
    Type.Union([Type.Array(Type.String()), Type.Record(Type.String(), Type.String())]),
  ),
  beneficiary: Type.Optional(Beneficiary),
  format: Type.Optional(Type.Object({ type: Type.Enum(["LINK"]), paymentLink: Type.String() })),
  payments: Type.Optional(
    Type.Array(
      Type.Object({
        type: Type.Enum(["BRAZIL_PIX_DC", "BRAZIL_LINK", "BRAZIL_BOLETO"]),
        id: Type.String(),
        ...PIX,
      }),
    ),
  ),
  ...PIX,
});
export type PaymentJson = Static<typeof PaymentJson>;

const Item = Type.Object({
  retailerId: Type.String(),
  name: Type.String(),
  amount: Amount,
  saleAmount: Type.Optional(Amount),
  quantity: Type.Integer(),
  originCountry: Type.Optional(Type.String()),
  importerName: Type.Optional(Type.String()),
  importerAddress: Type.Optional(
    Type.Object({
      firstAddressLine: Type.Optional(Type.String()),
      secondAddressLine: Type.Optional(Type.String()),
      city: Type.Optional(Type.String()),
      zoneCode: Type.Optional(Type.String()),
      postalCode: Type.Optional(Type.String()),
      countryCode: Type.Optional(Type.String()),
    }),
  ),
});

/** What to pay and for what: an order-details message's action, and a template ORDER_DETAILS button's. */
export const OrderAction = Type.Object({
  payment: PaymentJson,
  paymentConfiguration: Type.Optional(Type.String()),
  orderCurrency: Type.Enum(["INR", "BRL"]),
  orderType: Type.Enum(["PHYSICAL_GOODS", "DIGITAL_GOODS"]),
  totalAmount: Amount,
  order: Type.Object({
    catalogId: Type.Optional(Type.String()),
    items: Type.Array(Item),
    subtotal: Amount,
    tax: NotedAmount,
    shipping: Type.Optional(NotedAmount),
    discount: Type.Optional(Type.Object({ amount: NotedAmount, programName: Type.Optional(Type.String()) })),
    orderExpiration: Type.Optional(
      Type.Object({ expirationSeconds: Type.Integer(), description: Type.String() }),
    ),
    orderDetailsType: Type.Optional(Type.Enum(["QUICK_PAY"])),
  }),
});
export type OrderAction = Static<typeof OrderAction>;

export const OrderDetailsBody = Type.Object({
  ...envelope,
  content: Type.Object({
    body: Text,
    action: OrderAction,
    header: Type.Optional(Type.Object({ type: Type.Enum(["IMAGE"]), mediaUrl: Type.String() })),
    footer: Type.Optional(Text),
  }),
});
export type OrderDetailsBody = Static<typeof OrderDetailsBody>;

export const OrderStatusBody = Type.Object({
  ...envelope,
  content: Type.Object({
    action: Type.Object({
      payment: Type.Object({
        type: Type.Enum(
          PAYMENT_TYPES.filter((t): t is Exclude<typeof t, "BRAZIL_PAYMENTS"> => t !== "BRAZIL_PAYMENTS"),
        ),
        id: Type.String(),
      }),
      status: Type.Enum(["PENDING", "PROCESSING", "PARTIALLY_SHIPPED", "SHIPPED", "COMPLETED", "CANCELED"]),
      description: Type.Optional(Type.String()),
    }),
    body: Type.Optional(Text),
    footer: Type.Optional(Text),
  }),
});
export type OrderStatusBody = Static<typeof OrderStatusBody>;
