/**
 * Order messages (WhatsApp Payments, India and Brazil): order details the user can pay from, and
 * updates of an order's status. Amounts are integers in hundredths of the currency (INR, BRL).
 */

export interface Beneficiary {
  readonly name: string;
  readonly firstAddressLine: string;
  readonly secondAddressLine?: string;
  readonly city?: string;
  readonly state?: string;
  readonly country: "INDIA";
  readonly postalCode?: string;
}

export interface PixPayment {
  readonly type: "BRAZIL_PIX_DC";
  readonly id: string;
  readonly code: string;
  readonly merchantName: string;
  readonly keyType: "CPF" | "CNPJ" | "EMAIL" | "PHONE" | "EVP";
  readonly key: string;
  readonly flowType?: "REDIRECT" | "COPYPASTE" | "APPSWITCH";
}
export interface BrazilLinkPayment {
  readonly type: "BRAZIL_LINK";
  readonly id: string;
  readonly paymentLink: string;
}
export interface BoletoPayment {
  readonly type: "BRAZIL_BOLETO";
  readonly id: string;
  readonly code: string;
}
/** The ways of paying that a BRAZIL_PAYMENTS order may offer together. */
export type BrazilPaymentOption = PixPayment | BrazilLinkPayment | BoletoPayment;

/** How the order is paid, by payment provider. */
export type OrderPayment =
  | {
      readonly type: "UPI_PAYU";
      readonly id: string;
      readonly productDescription: string;
      readonly customerFirstName: string;
      readonly customerLastName?: string;
      readonly customerEmail: string;
      readonly callbackData?: readonly string[];
    }
  | { readonly type: "BRAZIL"; readonly id: string }
  | BrazilPaymentOption
  | { readonly type: "BRAZIL_PAYMENTS"; readonly payments: readonly BrazilPaymentOption[] }
  | {
      readonly type: "PG_PAYU";
      readonly id: string;
      readonly beneficiary?: Beneficiary;
      readonly callbackData?: readonly string[];
    }
  | {
      readonly type: "PG_RAZORPAY";
      readonly id: string;
      readonly beneficiary?: Beneficiary;
      readonly callbackData?: Readonly<Record<string, string>>;
    }
  | {
      readonly type: "UPI_INTENT";
      readonly id: string;
      readonly beneficiary?: Beneficiary;
      readonly format: { readonly type: "LINK"; readonly paymentLink: string };
    }
  | {
      readonly type: "UPI_LINK";
      readonly id: string;
      readonly beneficiary?: Beneficiary;
      readonly paymentLink: string;
    };

export type PaymentType = OrderPayment["type"];

/** An amount with an optional note ("tax included"). */
export interface NotedAmount {
  readonly value: number;
  readonly description?: string;
}

export interface OrderItem {
  readonly retailerId: string;
  readonly name: string;
  readonly amount: number;
  readonly saleAmount?: number;
  readonly quantity: number;
  /** Items sold without a catalog (UPI PayU only): where they come from and who imports them. */
  readonly originCountry?: string;
  readonly importerName?: string;
  readonly importerAddress?: Readonly<Record<string, string>>;
}

export interface OrderDetailsContent {
  readonly type: "interactive_order_details";
  readonly body: string;
  readonly header?: { readonly type: "IMAGE"; readonly mediaUrl: string };
  readonly footer?: string;
  readonly payment: OrderPayment;
  /** The business's WhatsApp payment configuration. */
  readonly paymentConfiguration?: string;
  readonly currency: "INR" | "BRL";
  readonly orderType: "PHYSICAL_GOODS" | "DIGITAL_GOODS";
  readonly totalAmount: number;
  readonly order: {
    readonly catalogId?: string;
    readonly items: readonly OrderItem[];
    readonly subtotal: number;
    readonly tax: NotedAmount;
    readonly shipping?: NotedAmount;
    readonly discount?: { readonly amount: NotedAmount; readonly programName?: string };
    readonly expiration?: { readonly seconds: number; readonly description: string };
    /** Pay without the review step. */
    readonly quickPay?: boolean;
  };
}

/** What an order-details message asks the user to pay: also the action of a template's ORDER_DETAILS button. */
export type OrderDetailsAction = Pick<
  OrderDetailsContent,
  "payment" | "paymentConfiguration" | "currency" | "orderType" | "totalAmount" | "order"
>;

/** The payment types a template's ORDER_DETAILS button may carry, by the variant it was registered with. */
export const TEMPLATE_PAYMENT_TYPES: Readonly<Record<"BRAZIL" | "INDIA", readonly PaymentType[]>> = {
  BRAZIL: ["BRAZIL_PIX_DC", "BRAZIL_LINK", "BRAZIL_BOLETO", "BRAZIL_PAYMENTS"],
  INDIA: ["PG_PAYU", "PG_RAZORPAY", "UPI_INTENT", "UPI_LINK"],
};

export type OrderStatus =
  | "PENDING"
  | "PROCESSING"
  | "PARTIALLY_SHIPPED"
  | "SHIPPED"
  | "COMPLETED"
  | "CANCELED";

export interface OrderStatusContent {
  readonly type: "interactive_order_status";
  readonly body?: string;
  readonly footer?: string;
  /** The order's payment, as named in its order-details message (Meta's face names only the id). */
  readonly payment: { readonly type?: Exclude<PaymentType, "BRAZIL_PAYMENTS">; readonly id: string };
  readonly status: OrderStatus;
  readonly description?: string;
}
