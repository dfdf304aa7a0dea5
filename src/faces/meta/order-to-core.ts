/**
 * Meta → core for orders: `order_details` (`review_and_pay`) and `order_status` (`review_order`)
 * interactive messages, and a template's `order_details` button. Meta's amounts `{value, offset}`
 * become hundredths; its payment setups map onto the core's payment types, and one the core has
 * no counterpart for is named (131009) rather than guessed. The rules are in core/order-rules.ts.
 */
import type {
  BrazilPaymentOption,
  NotedAmount,
  OrderDetailsAction,
  OrderItem,
  OrderPayment,
  OrderStatus,
  OrderStatusContent,
} from "../../core/order-content.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import { fail, missing, type Translated } from "./translated.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads fields of a JSON object, naming (131008) the first required one that is missing or mistyped. */
class Reader {
  error: Translated<never> | undefined;
  constructor(
    readonly o: Obj,
    readonly at: string,
  ) {}
  #bad(field: string, what: string): undefined {
    this.error ??=
      this.o[field] === undefined
        ? missing(`${this.at}.${field}`)
        : fail(`${this.at}.${field}`, `must be ${what}`, WA.invalidParameter.code);
    return undefined;
  }
  str(field: string): string | undefined {
    const v = this.o[field];
    return typeof v === "string" ? v : this.#bad(field, "a string");
  }
  optStr(field: string): string | undefined {
    return this.o[field] === undefined ? undefined : this.str(field);
  }
  int(field: string): number | undefined {
    const v = this.o[field];
    return Number.isInteger(v) ? (v as number) : this.#bad(field, "an integer");
  }
  obj(field: string): Reader | undefined {
    const v = this.o[field];
    if (!isObj(v)) return this.#bad(field, "an object");
    const r = new Reader(v, `${this.at}.${field}`);
    return r;
  }
  optObj(field: string): Reader | undefined {
    return this.o[field] === undefined ? undefined : this.obj(field);
  }
  /** Meta's `{value, offset}` in hundredths of the currency. */
  amount(field: string): number | undefined {
    const a = this.obj(field);
    if (!a) return undefined;
    const value = a.int("value");
    const offset = a.int("offset");
    this.error ??= a.error;
    if (value === undefined || offset === undefined) return undefined;
    const hundredths = (value * 100) / offset;
    if (offset <= 0 || !Number.isInteger(hundredths)) {
      this.error ??= fail(`${a.at}.offset`, "must make the amount a whole number of hundredths (offset 100)");
      return undefined;
    }
    return hundredths;
  }
  noted(field: string): NotedAmount | undefined {
    const value = this.amount(field);
    const description = this.o[field] !== undefined ? this.obj(field)?.optStr("description") : undefined;
    return value === undefined ? undefined : { value, ...(description !== undefined ? { description } : {}) };
  }
}

/** `review_and_pay` parameters (or a template button's `order_details`) as the core's order action. */
export function orderActionOf(p: Obj, at: string, now: number): Translated<OrderDetailsAction> {
  const r = new Reader(p, at);
  const currency = r.str("currency");
  const kind = r.str("type");
  const totalAmount = r.amount("total_amount");
  if (r.error) return r.error;
  if (currency !== "INR" && currency !== "BRL")
    return fail(`${at}.currency`, `orders in ${currency} are not built: INR or BRL`);
  if (kind !== "digital-goods" && kind !== "physical-goods")
    return fail(`${at}.type`, "must be digital-goods or physical-goods");
  const payment = paymentOf(r, currency);
  if (!payment.ok) return payment;
  if (p.order === undefined)
    return fail(
      `${at}.order`,
      "an order without items is not built: send order with items, subtotal and tax",
    );
  const order = orderOf(r, now);
  if (!order.ok) return order;
  return {
    ok: true,
    value: {
      ...payment.value,
      currency,
      orderType: kind === "digital-goods" ? "DIGITAL_GOODS" : "PHYSICAL_GOODS",
      totalAmount: totalAmount as number,
      order: order.value,
    },
  };
}

type PaymentPart = Pick<OrderDetailsAction, "payment" | "paymentConfiguration">;

function paymentOf(r: Reader, currency: "INR" | "BRL"): Translated<PaymentPart> {
  const id = r.str("reference_id");
  const paymentType = r.optStr("payment_type");
  const configuration = r.optStr("payment_configuration");
  if (r.error) return r.error;
  const withConfig = (payment: OrderPayment): Translated<PaymentPart> => ({
    ok: true,
    value: { payment, ...(configuration !== undefined ? { paymentConfiguration: configuration } : {}) },
  });
  const settings = r.o.payment_settings;
  if (settings === undefined || (Array.isArray(settings) && settings.length === 0)) {
    if (paymentType === "br") return withConfig({ type: "BRAZIL", id: id as string });
    if (paymentType === "upi") {
      return fail(
        `${r.at}.payment_type`,
        "UPI through a payment configuration needs the customer's name and email, which order_details does not carry: use payment_settings",
      );
    }
    return missing(`${r.at}.payment_settings`);
  }
  if (!Array.isArray(settings))
    return fail(`${r.at}.payment_settings`, "must be a list", WA.invalidParameter.code);
  const options: OrderPayment[] = [];
  let gatewayConfiguration: string | undefined;
  for (const [i, s] of settings.entries()) {
    const at = `${r.at}.payment_settings[${i}]`;
    if (!isObj(s)) return fail(at, "must be an object", WA.invalidParameter.code);
    const one = settingOf(new Reader(s, at), id as string, currency);
    if (!one.ok) return one;
    options.push(one.value.payment);
    gatewayConfiguration ??= one.value.configuration;
  }
  const brazil = options.filter((o): o is BrazilPaymentOption =>
    ["BRAZIL_PIX_DC", "BRAZIL_LINK", "BRAZIL_BOLETO"].includes(o.type),
  );
  if (options.length > 1) {
    if (brazil.length !== options.length)
      return fail(
        `${r.at}.payment_settings`,
        "only Brazil's pix_dynamic_code, payment_link and boleto may be offered together",
      );
    return withConfig({ type: "BRAZIL_PAYMENTS", payments: brazil });
  }
  const only = options[0] as OrderPayment;
  if (gatewayConfiguration !== undefined)
    return { ok: true, value: { payment: only, paymentConfiguration: gatewayConfiguration } };
  return withConfig(only);
}

function settingOf(
  s: Reader,
  id: string,
  currency: "INR" | "BRL",
): Translated<{ payment: OrderPayment; configuration?: string }> {
  const type = s.str("type");
  if (s.error) return s.error;
  const inner = type === undefined ? undefined : s.obj(type);
  if (s.error || !inner) return s.error ?? missing(`${s.at}.${type}`);
  const done = (payment: OrderPayment, configuration?: string) =>
    inner.error ?? {
      ok: true as const,
      value: { payment, ...(configuration !== undefined ? { configuration } : {}) },
    };
  switch (type) {
    case "pix_dynamic_code": {
      const code = inner.str("code");
      const merchantName = inner.str("merchant_name");
      const key = inner.str("key");
      const keyType = inner.str("key_type")?.toUpperCase();
      if (inner.error) return inner.error;
      if (
        keyType !== "CPF" &&
        keyType !== "CNPJ" &&
        keyType !== "EMAIL" &&
        keyType !== "PHONE" &&
        keyType !== "EVP"
      ) {
        return fail(`${inner.at}.key_type`, "must be CPF, CNPJ, EMAIL, PHONE or EVP");
      }
      return done({
        type: "BRAZIL_PIX_DC",
        id,
        code: code as string,
        merchantName: merchantName as string,
        keyType,
        key: key as string,
      });
    }
    case "payment_link": {
      const uri = inner.str("uri") as string;
      return done(
        currency === "BRL"
          ? { type: "BRAZIL_LINK", id, paymentLink: uri }
          : { type: "UPI_LINK", id, paymentLink: uri },
      );
    }
    case "boleto":
      return done({ type: "BRAZIL_BOLETO", id, code: inner.str("digitable_line") as string });
    case "upi_intent_link":
      return done({
        type: "UPI_INTENT",
        id,
        format: { type: "LINK", paymentLink: inner.str("link") as string },
      });
    case "payment_gateway": {
      const gateway = inner.str("type");
      const configuration = inner.str("configuration_name");
      if (inner.error) return inner.error;
      if (gateway === "razorpay") {
        const rp = inner.optObj("razorpay");
        if (rp?.o.receipt !== undefined)
          return fail(`${rp.at}.receipt`, "has no counterpart in OpenBSP's orders (razorpay notes do)");
        const notes = rp?.optObj("notes");
        const bad = notes && Object.entries(notes.o).find(([, v]) => typeof v !== "string");
        if (bad) return fail(`${notes?.at}.${bad[0]}`, "must be a string", WA.invalidParameter.code);
        const callbackData = notes ? (notes.o as Record<string, string>) : undefined;
        return done({ type: "PG_RAZORPAY", id, ...(callbackData ? { callbackData } : {}) }, configuration);
      }
      if (gateway === "payu") {
        if (inner.o.payu !== undefined)
          return fail(`${inner.at}.payu`, "has no counterpart in OpenBSP's orders");
        return done({ type: "PG_PAYU", id }, configuration);
      }
      return fail(`${inner.at}.type`, `${gateway} payment gateways are not built: razorpay or payu`);
    }
    default:
      return fail(`${s.at}.type`, `payment setting ${type} has no counterpart in OpenBSP's orders`);
  }
}

function orderOf(r: Reader, now: number): Translated<OrderDetailsAction["order"]> {
  const o = r.obj("order");
  if (!o) return r.error ?? missing(`${r.at}.order`);
  if (o.o.status !== undefined && o.o.status !== "pending")
    return fail(`${o.at}.status`, "must be pending in an order_details message");
  const catalogId = o.optStr("catalog_id");
  const list = o.o.items;
  if (!Array.isArray(list))
    return list === undefined
      ? missing(`${o.at}.items`)
      : fail(`${o.at}.items`, "must be a list", WA.invalidParameter.code);
  const items: OrderItem[] = [];
  for (const [i, item] of list.entries()) {
    if (!isObj(item)) return fail(`${o.at}.items[${i}]`, "must be an object", WA.invalidParameter.code);
    const it = new Reader(item, `${o.at}.items[${i}]`);
    const saleAmount = item.sale_amount !== undefined ? it.amount("sale_amount") : undefined;
    const one: OrderItem = {
      retailerId: it.str("retailer_id") as string,
      name: it.str("name") as string,
      amount: it.amount("amount") as number,
      ...(saleAmount !== undefined ? { saleAmount } : {}),
      quantity: it.int("quantity") as number,
      ...importOf(it),
    };
    if (it.error) return it.error;
    items.push(one);
  }
  const subtotal = o.amount("subtotal");
  const tax = o.noted("tax");
  const shipping = o.o.shipping !== undefined ? o.noted("shipping") : undefined;
  const d = o.optObj("discount");
  const discount = d ? o.noted("discount") : undefined;
  const programName = d?.optStr("discount_program_name");
  const e = o.optObj("expiration");
  const timestamp = e?.str("timestamp");
  const description = e?.str("description");
  const error = o.error ?? d?.error ?? e?.error;
  if (error) return error;
  if (timestamp !== undefined && !/^\d{1,12}$/.test(timestamp))
    return fail(`${e?.at}.timestamp`, "must be a UTC timestamp in seconds");
  return {
    ok: true,
    value: {
      ...(catalogId !== undefined ? { catalogId } : {}),
      items,
      subtotal: subtotal as number,
      tax: tax as NotedAmount,
      ...(shipping ? { shipping } : {}),
      ...(discount
        ? { discount: { amount: discount, ...(programName !== undefined ? { programName } : {}) } }
        : {}),
      ...(timestamp !== undefined
        ? {
            expiration: {
              seconds: Number(timestamp) - Math.floor(now / 1000),
              description: description as string,
            },
          }
        : {}),
    },
  };
}

/** Items sold without a catalog (India): where they come from and who imports them. */
function importOf(it: Reader): Pick<OrderItem, "originCountry" | "importerName" | "importerAddress"> {
  const originCountry = it.optStr("country_of_origin");
  const importerName = it.optStr("importer_name");
  const a = it.optObj("importer_address");
  const names: Record<string, string> = {
    address_line1: "firstAddressLine",
    address_line2: "secondAddressLine",
    city: "city",
    zone_code: "zoneCode",
    postal_code: "postalCode",
    country_code: "countryCode",
  };
  const importerAddress =
    a &&
    Object.fromEntries(
      Object.entries(a.o).flatMap(([k, v]) => (names[k] && typeof v === "string" ? [[names[k], v]] : [])),
    );
  return {
    ...(originCountry !== undefined ? { originCountry } : {}),
    ...(importerName !== undefined ? { importerName } : {}),
    ...(importerAddress ? { importerAddress } : {}),
  };
}

const STATUSES: readonly OrderStatus[] = [
  "PENDING",
  "PROCESSING",
  "PARTIALLY_SHIPPED",
  "SHIPPED",
  "COMPLETED",
  "CANCELED",
];

/** `review_order` parameters: the order's reference id and its new status. */
export function orderStatusOf(
  p: Obj,
  at: string,
): Translated<Pick<OrderStatusContent, "payment" | "status" | "description">> {
  const r = new Reader(p, at);
  const id = r.str("reference_id");
  const order = r.obj("order");
  const status = order?.str("status")?.toUpperCase();
  const description = order?.optStr("description");
  const error = r.error ?? order?.error;
  if (error) return error;
  if (!STATUSES.includes(status as OrderStatus)) {
    return fail(`${at}.order.status`, `must be one of ${STATUSES.map((s) => s.toLowerCase()).join(", ")}`);
  }
  return {
    ok: true,
    value: {
      payment: { id: id as string },
      status: status as OrderStatus,
      ...(description !== undefined ? { description } : {}),
    },
  };
}
