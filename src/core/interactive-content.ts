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

export type InteractiveContent =
  | ButtonsContent
  | ListContent
  | LocationRequestContent
  | UrlButtonContent
  | ProductContent
  | MultiProductContent
  | FlowContent
  | OrderDetailsContent
  | OrderStatusContent;
