/**
 * Interactive messages the user answers with a tap: up to three reply buttons, or a list of rows
 * in sections. Sent only inside the customer-service window.
 */
import type { OrderDetailsContent, OrderStatusContent } from "./order-content.ts";

export type InteractiveHeader =
  | { readonly type: "TEXT"; readonly text: string }
  | { readonly type: "IMAGE" | "VIDEO"; readonly mediaUrl: string }
  | { readonly type: "DOCUMENT"; readonly mediaUrl: string; readonly filename?: string };

export interface ReplyButton {
  readonly id: string;
  readonly title: string;
}

export interface ButtonsContent {
  readonly type: "interactive_buttons";
  readonly body: string;
  readonly header?: InteractiveHeader;
  readonly footer?: string;
  readonly buttons: readonly ReplyButton[];
}

export interface ListRow {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
}

export interface ListContent {
  readonly type: "interactive_list";
  readonly body: string;
  readonly header?: { readonly type: "TEXT"; readonly text: string };
  readonly footer?: string;
  /** The label of the button that opens the list. */
  readonly buttonTitle: string;
  readonly sections: readonly { readonly title?: string; readonly rows: readonly ListRow[] }[];
}

/** Asks the user to share their location. */
export interface LocationRequestContent {
  readonly type: "interactive_location_request";
  readonly body: string;
}

/** A call-to-action button that opens a URL. */
export interface UrlButtonContent {
  readonly type: "interactive_url_button";
  readonly body: string;
  readonly header?: InteractiveHeader;
  readonly footer?: string;
  readonly displayText: string;
  readonly url: string;
}

/** One product of a catalog. */
export interface ProductContent {
  readonly type: "interactive_product";
  readonly body?: string;
  readonly footer?: string;
  readonly catalogId: string;
  readonly productRetailerId: string;
}

/** Several products of a catalog, in sections. */
export interface MultiProductContent {
  readonly type: "interactive_multi_product";
  readonly header: { readonly type: "TEXT"; readonly text: string };
  readonly body: string;
  readonly footer?: string;
  readonly catalogId: string;
  readonly sections: readonly { readonly title?: string; readonly productRetailerIds: readonly string[] }[];
}

/** Opens a WhatsApp Flow. */
export interface FlowContent {
  readonly type: "interactive_flow";
  readonly body: string;
  readonly header?: { readonly type: "TEXT"; readonly text: string };
  readonly footer?: string;
  readonly flowId: string;
  readonly flowToken: string;
  readonly callToActionButton: string;
  readonly mode: "DRAFT" | "PUBLISHED";
  readonly flowAction: "NAVIGATE" | "DATA_EXCHANGE";
  readonly flowActionPayload?: { readonly screen: string; readonly data?: Readonly<Record<string, unknown>> };
  readonly flowMessageVersion?: number;
}

/** An address message's country: the form and its fields depend on it (address-message-rules.ts). */
export type AddressCountry = "IN" | "SG";

/** An address by WhatsApp's form field names (`name`, `phone_number`, `in_pin_code`, `city`, …). */
export type AddressValues = Readonly<Record<string, string>>;

/** An address the business already knows for the user, offered to pick instead of typing one. */
export interface SavedAddress {
  readonly id: string;
  readonly value: AddressValues;
}

/**
 * Asks the user for a delivery address in WhatsApp's address form (Meta's `address_message`),
 * optionally prefilled (`values`), with saved addresses to pick from, or re-sent with the
 * business's complaints about fields the user entered (`validationErrors`, by field name).
 */
export interface AddressMessageContent {
  readonly type: "interactive_address";
  readonly body: string;
  readonly header?: { readonly type: "TEXT"; readonly text: string };
  readonly footer?: string;
  /** As the business sent it; the rules accept only an AddressCountry. */
  readonly country: string;
  readonly values?: AddressValues;
  readonly savedAddresses?: readonly SavedAddress[];
  readonly validationErrors?: Readonly<Record<string, string>>;
}

export type InteractiveContent =
  | ButtonsContent
  | ListContent
  | LocationRequestContent
  | UrlButtonContent
  | ProductContent
  | MultiProductContent
  | FlowContent
  | AddressMessageContent
  | OrderDetailsContent
  | OrderStatusContent;
