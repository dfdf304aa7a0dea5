/**
 * Infobip → core for order-details and order-status messages: the payment object's fields by its
 * type (a missing one is named), amounts `{value}` as plain numbers. Only translation; the rules
 * are in core/order-rules.ts.
 */
import type { FieldError } from "../../core/field-error.ts";
import type { InteractiveContent } from "../../core/interactive-content.ts";
import type {
  Beneficiary,
  BrazilPaymentOption,
  OrderDetailsAction,
  OrderItem,
  OrderPayment,
} from "../../core/order-content.ts";
import { invalid, type Translated as KitTranslated } from "../kit/translated.ts";
import type { OrderAction, OrderDetailsBody, OrderStatusBody, PaymentJson } from "./schemas/order-schemas.ts";

type Translated = KitTranslated<InteractiveContent>;
type Missing = (field: string) => void;

/** Copies `value` without its undefined fields. */
const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** `fields` of `p`, each reported to `missing` when absent. */
function need<K extends keyof PaymentJson>(
  p: PaymentJson,
  missing: Missing,
  ...fields: K[]
): { [F in K]-?: NonNullable<PaymentJson[F]> } {
  for (const f of fields) if (p[f] === undefined) missing(String(f));
  return p as unknown as { [F in K]-?: NonNullable<PaymentJson[F]> };
}

function brazilOption(
  p: PaymentJson | NonNullable<PaymentJson["payments"]>[number],
  missing: Missing,
): BrazilPaymentOption | undefined {
  const q = p as PaymentJson;
  switch (p.type) {
    case "BRAZIL_PIX_DC": {
      const r = need(q, missing, "id", "code", "merchantName", "keyType", "key");
      return defined({
        type: p.type,
        id: r.id,
        code: r.code,
        merchantName: r.merchantName,
        keyType: r.keyType,
        key: r.key,
        flowType: q.flowType,
      });
    }
    case "BRAZIL_LINK": {
      const r = need(q, missing, "id", "paymentLink");
      return { type: p.type, id: r.id, paymentLink: r.paymentLink };
    }
    case "BRAZIL_BOLETO": {
      const r = need(q, missing, "id", "code");
      return { type: p.type, id: r.id, code: r.code };
    }
    default:
      return undefined;
  }
}

function paymentToCore(p: PaymentJson, at: string, errors: FieldError[]): OrderPayment {
  const missing: Missing = (field) => errors.push({ field: `${at}.${field}`, message: "must not be null" });
  const list = (): readonly string[] | undefined => {
    if (p.callbackData === undefined || Array.isArray(p.callbackData)) return p.callbackData;
    errors.push({ field: `${at}.callbackData`, message: `must be a list of strings for ${p.type} payments` });
    return undefined;
  };
  const beneficiary = p.beneficiary ? defined<Beneficiary>({ ...p.beneficiary }) : undefined;
  switch (p.type) {
    case "UPI_PAYU": {
      const r = need(p, missing, "id", "productDescription", "customerFirstName", "customerEmail");
      return defined({
        type: p.type,
        id: r.id,
        productDescription: r.productDescription,
        customerFirstName: r.customerFirstName,
        customerLastName: p.customerLastName,
        customerEmail: r.customerEmail,
        callbackData: list(),
      });
    }
    case "BRAZIL":
      return { type: p.type, id: need(p, missing, "id").id };
    case "BRAZIL_PAYMENTS": {
      const payments = need(p, missing, "payments").payments ?? [];
      return {
        type: p.type,
        payments: payments.flatMap((option, i) => {
          const one = brazilOption(option, (field) =>
            errors.push({ field: `${at}.payments[${i}].${field}`, message: "must not be null" }),
          );
          return one ? [one] : [];
        }),
      };
    }
    case "PG_PAYU":
      return defined({ type: p.type, id: need(p, missing, "id").id, beneficiary, callbackData: list() });
    case "PG_RAZORPAY": {
      if (Array.isArray(p.callbackData))
        errors.push({
          field: `${at}.callbackData`,
          message: "must be an object of strings for PG_RAZORPAY payments",
        });
      const callbackData = Array.isArray(p.callbackData) ? undefined : p.callbackData;
      return defined({ type: p.type, id: need(p, missing, "id").id, beneficiary, callbackData });
    }
    case "UPI_INTENT": {
      const r = need(p, missing, "id", "format");
      return defined({
        type: p.type,
        id: r.id,
        beneficiary,
        format: r.format && { type: r.format.type, paymentLink: r.format.paymentLink },
      });
    }
    case "UPI_LINK": {
      const r = need(p, missing, "id", "paymentLink");
      return defined({ type: p.type, id: r.id, beneficiary, paymentLink: r.paymentLink });
    }
    default:
      return brazilOption(p, missing) as BrazilPaymentOption;
  }
}

/** An order's action (what to pay, how, for which items) as the core's; a missing payment field is named under `at`. */
export function orderActionToCore(a: OrderAction, at: string, errors: FieldError[]): OrderDetailsAction {
  const payment = paymentToCore(a.payment, `${at}.payment`, errors);
  const o = a.order;
  const items = o.items.map(
    (i): OrderItem =>
      defined({
        retailerId: i.retailerId,
        name: i.name,
        amount: i.amount.value,
        saleAmount: i.saleAmount?.value,
        quantity: i.quantity,
        originCountry: i.originCountry,
        importerName: i.importerName,
        importerAddress: i.importerAddress && defined({ ...i.importerAddress }),
      }),
  );
  return defined({
    payment,
    paymentConfiguration: a.paymentConfiguration,
    currency: a.orderCurrency,
    orderType: a.orderType,
    totalAmount: a.totalAmount.value,
    order: defined({
      catalogId: o.catalogId,
      items,
      subtotal: o.subtotal.value,
      tax: defined({ ...o.tax }),
      shipping: o.shipping && defined({ ...o.shipping }),
      discount:
        o.discount &&
        defined({ amount: defined({ ...o.discount.amount }), programName: o.discount.programName }),
      expiration: o.orderExpiration && {
        seconds: o.orderExpiration.expirationSeconds,
        description: o.orderExpiration.description,
      },
      quickPay: o.orderDetailsType === "QUICK_PAY" ? true : undefined,
    }),
  });
}

export function orderDetailsToCore({ content: c }: OrderDetailsBody): Translated {
  const errors: FieldError[] = [];
  const action = orderActionToCore(c.action, "content.action", errors);
  if (errors.length > 0) return invalid(...errors);
  return {
    ok: true,
    value: defined({
      type: "interactive_order_details" as const,
      body: c.body.text,
      header: c.header && { type: "IMAGE" as const, mediaUrl: c.header.mediaUrl },
      footer: c.footer?.text,
      ...action,
    }),
  };
}

export function orderStatusToCore({ content: c }: OrderStatusBody): Translated {
  return {
    ok: true,
    value: defined({
      type: "interactive_order_status" as const,
      body: c.body?.text,
      footer: c.footer?.text,
      payment: { type: c.action.payment.type, id: c.action.payment.id },
      status: c.action.status,
      description: c.action.description,
    }),
  };
}
