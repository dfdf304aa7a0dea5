/**
 * WhatsApp Payments' rules for order messages. Brazilian payments are in BRL, Indian ones (UPI,
 * payment gateways) in INR. A payment configuration is needed for UPI PayU, Brazil and the payment
 * gateways, optional for Pix and UPI links, and not allowed otherwise. Reference ids are 1..35
 * letters, digits, `-`, `_` or `.` (UPI PayU: 1..25 characters). The subtotal is the sum of the
 * items' (sale) amounts times their quantities, and the total is subtotal + tax + shipping −
 * discount. Items without a catalog need their origin and importer (UPI PayU only). Orders expire
 * no sooner than 360 s. Field paths are relative to the content.
 */
import type { FieldError } from "./field-error.ts";
import type {
  Beneficiary,
  OrderDetailsAction,
  OrderDetailsContent,
  OrderPayment,
  OrderStatusContent,
  PaymentType,
} from "./order-content.ts";
import { textLength } from "./text-length.ts";

const REFERENCE_ID = /^[A-Za-z0-9\-_.]{1,35}$/;
const POSTAL_CODE = /^[0-9]{6}$/;
const MIN_EXPIRATION_SECONDS = 360;
const MAX_ITEMS = 999;

const CONFIGURATION: Record<PaymentType, "required" | "optional" | "forbidden"> = {
  UPI_PAYU: "required",
  BRAZIL: "required",
  PG_PAYU: "required",
  PG_RAZORPAY: "required",
  BRAZIL_PIX_DC: "optional",
  UPI_LINK: "optional",
  BRAZIL_LINK: "forbidden",
  BRAZIL_BOLETO: "forbidden",
  BRAZIL_PAYMENTS: "forbidden",
  UPI_INTENT: "forbidden",
};

/** The currency a payment type settles in. */
export const currencyOf = (type: PaymentType): "INR" | "BRL" => (type.startsWith("BRAZIL") ? "BRL" : "INR");

type Add = (field: string, message: string) => void;

function size(add: Add, field: string, value: string | undefined, min: number, max: number): void {
  if (value !== undefined && (value.trim().length < min || textLength(value) > max))
    add(field, `size must be between ${min} and ${max}`);
}

/** A payment's reference id: UPI PayU 1..25 characters, every other provider the reference-id form. */
function referenceId(add: Add, field: string, type: PaymentType | undefined, id: string): void {
  if (type === "UPI_PAYU") size(add, field, id, 1, 25);
  else if (!REFERENCE_ID.test(id)) add(field, "must be 1 to 35 letters, digits, '-', '_' or '.'");
}

function beneficiary(add: Add, at: string, b: Beneficiary | undefined): void {
  if (!b) return;
  size(add, `${at}.name`, b.name, 0, 200);
  size(add, `${at}.firstAddressLine`, b.firstAddressLine, 0, 100);
  size(add, `${at}.secondAddressLine`, b.secondAddressLine, 0, 100);
  if (b.postalCode !== undefined && !POSTAL_CODE.test(b.postalCode))
    add(`${at}.postalCode`, "must be six digits");
}

function callbackList(
  add: Add,
  at: string,
  list: readonly string[] | undefined,
  maxItems: number,
  min: number,
): void {
  if (!list) return;
  if (list.length > maxItems) add(at, `size must be between 0 and ${maxItems}`);
  list.forEach((v, i) => {
    size(add, `${at}[${i}]`, v, min, 255);
  });
}

function checkPayment(add: Add, p: OrderPayment, action: string): void {
  const at = `${action}.payment`;
  switch (p.type) {
    case "UPI_PAYU":
      referenceId(add, `${at}.id`, p.type, p.id);
      size(add, `${at}.productDescription`, p.productDescription, 1, 100);
      size(add, `${at}.customerFirstName`, p.customerFirstName, 1, 60);
      size(add, `${at}.customerLastName`, p.customerLastName, 0, 20);
      size(add, `${at}.customerEmail`, p.customerEmail, 1, 50);
      callbackList(add, `${at}.callbackData`, p.callbackData, 5, 0);
      break;
    case "BRAZIL_PAYMENTS":
      if (p.payments.length < 1 || p.payments.length > 2)
        add(`${at}.payments`, "size must be between 1 and 2");
      p.payments.forEach((option, i) => {
        referenceId(add, `${at}.payments[${i}].id`, option.type, option.id);
      });
      break;
    case "PG_PAYU":
      referenceId(add, `${at}.id`, p.type, p.id);
      beneficiary(add, `${at}.beneficiary`, p.beneficiary);
      callbackList(add, `${at}.callbackData`, p.callbackData, 4, 1);
      break;
    case "PG_RAZORPAY":
    case "UPI_INTENT":
    case "UPI_LINK":
      referenceId(add, `${at}.id`, p.type, p.id);
      beneficiary(add, `${at}.beneficiary`, p.beneficiary);
      break;
    default:
      referenceId(add, `${at}.id`, p.type, p.id);
  }
}

export function checkOrderDetails(content: OrderDetailsContent): FieldError[] {
  return checkOrderAction(content, "action");
}

/** The rules of an order's payment, amounts and items, with field paths under `at`. */
export function checkOrderAction(content: OrderDetailsAction, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const add: Add = (field, message) => errors.push({ field: `${at}.${field}`, message });
  const { payment, order } = content;
  checkPayment((field, message) => errors.push({ field, message }), payment, at);

  const configuration = CONFIGURATION[payment.type];
  size(add, "paymentConfiguration", content.paymentConfiguration, 1, 60);
  if (configuration === "required" && content.paymentConfiguration === undefined) {
    add("paymentConfiguration", `must not be null for ${payment.type} payments`);
  } else if (configuration === "forbidden" && content.paymentConfiguration !== undefined) {
    add("paymentConfiguration", `must be omitted for ${payment.type} payments`);
  }
  if (content.currency !== currencyOf(payment.type)) {
    add("orderCurrency", `must be ${currencyOf(payment.type)} for ${payment.type} payments`);
  }

  if (order.items.length < 1 || order.items.length > MAX_ITEMS)
    add("order.items", `size must be between 1 and ${MAX_ITEMS}`);
  order.items.forEach((item, i) => {
    const itemAt = `order.items[${i}]`;
    size(add, `${itemAt}.retailerId`, item.retailerId, 1, 200);
    size(add, `${itemAt}.name`, item.name, 1, 60);
    if (item.quantity < 1) add(`${itemAt}.quantity`, "must be at least 1");
    if (item.amount < 0) add(`${itemAt}.amount.value`, "must not be negative");
    if (item.saleAmount !== undefined && item.saleAmount < 0)
      add(`${itemAt}.saleAmount.value`, "must not be negative");
    const imported = {
      originCountry: item.originCountry,
      importerName: item.importerName,
      importerAddress: item.importerAddress,
    };
    for (const [field, value] of Object.entries(imported)) {
      if (payment.type !== "UPI_PAYU" && value !== undefined)
        add(`${itemAt}.${field}`, "is supported only for UPI_PAYU payments");
      if (payment.type === "UPI_PAYU" && order.catalogId === undefined && value === undefined) {
        add(`${itemAt}.${field}`, "must not be null when the order has no catalogId");
      }
    }
  });

  size(add, "order.tax.description", order.tax.description, 0, 60);
  size(add, "order.shipping.description", order.shipping?.description, 0, 60);
  size(add, "order.discount.amount.description", order.discount?.amount.description, 0, 60);
  size(add, "order.discount.programName", order.discount?.programName, 0, 60);
  for (const [field, value] of [
    ["tax", order.tax.value],
    ["shipping", order.shipping?.value],
    ["discount.amount", order.discount?.amount.value],
  ] as const) {
    if (value !== undefined && value < 0) add(`order.${field}.value`, "must not be negative");
  }
  if (order.expiration) {
    if (order.expiration.seconds < MIN_EXPIRATION_SECONDS) {
      add("order.orderExpiration.expirationSeconds", `must be at least ${MIN_EXPIRATION_SECONDS}`);
    }
    size(add, "order.orderExpiration.description", order.expiration.description, 0, 120);
  }

  const itemsTotal = order.items.reduce(
    (sum, item) => sum + (item.saleAmount ?? item.amount) * item.quantity,
    0,
  );
  if (order.subtotal !== itemsTotal) {
    add(
      "order.subtotal.value",
      `must be the sum of the items' (sale) amounts times their quantities, ${itemsTotal}`,
    );
  }
  const total =
    order.subtotal + order.tax.value + (order.shipping?.value ?? 0) - (order.discount?.amount.value ?? 0);
  if (content.totalAmount !== total)
    add("totalAmount.value", `must be subtotal + tax + shipping - discount, ${total}`);
  return errors;
}

export function checkOrderStatus(content: OrderStatusContent): FieldError[] {
  const errors: FieldError[] = [];
  const add: Add = (field, message) => errors.push({ field, message });
  referenceId(add, "action.payment.id", content.payment.type, content.payment.id);
  size(add, "action.description", content.description, 0, 120);
  return errors;
}
