/**
 * The core's view of one outbound message: what was asked for (content), to whom, and where it is
 * in its life. Faces translate their dialect's JSON into these types and back; the core never sees
 * a dialect's field names.
 */
import type { FreeFormContent } from "./free-form-content.ts";
import type { InteractiveContent } from "./interactive-content.ts";
import type { MessageState } from "./message-status.ts";
import type { OrderDetailsAction } from "./order-content.ts";
import type { Recipient } from "./phone-number.ts";
import type { SmsFailover } from "./sms-failover-request.ts";
import type { TemplateCategory } from "./template.ts";
import type { UrlOptions } from "./url-options.ts";

/**
 * Which API dialect (face) a message came through; reports go back in the same dialect. An opaque
 * name: the core does not enumerate the dialects, each face names itself.
 */
export type Face = string;

export interface TextContent {
  readonly type: "text";
  readonly text: string;
  readonly previewUrl: boolean;
}

/** A template send: the registered template is looked up by name and language and must match. */
export interface TemplateContent {
  readonly type: "template";
  readonly templateName: string;
  readonly language: string;
  readonly bodyPlaceholders: readonly string[];
  readonly header?: TemplateHeaderValue;
  readonly buttons: readonly TemplateButtonValue[];
  /** When the offer of a limited-time-offer template ends (ISO 8601). */
  readonly offerExpiresAt?: string;
  /** A carousel template's values, card by card in registration order. */
  readonly carousel?: readonly TemplateCardValue[];
}

/** One carousel card's values: its media, its body placeholders and its dynamic buttons. */
export interface TemplateCardValue {
  readonly header?: TemplateHeaderValue;
  readonly bodyPlaceholders: readonly string[];
  readonly buttons: readonly TemplateButtonValue[];
}

export type TemplateHeaderValue =
  | { readonly type: "TEXT"; readonly placeholder: string }
  | { readonly type: "IMAGE" | "VIDEO" | "GIF"; readonly mediaUrl: string }
  | { readonly type: "DOCUMENT"; readonly mediaUrl: string; readonly filename: string }
  | { readonly type: "LOCATION"; readonly latitude: number; readonly longitude: number };

export type TemplateButtonValue =
  | { readonly type: "QUICK_REPLY"; readonly parameter: string }
  | { readonly type: "URL"; readonly parameter: string }
  | { readonly type: "COPY_CODE"; readonly parameter: string }
  | { readonly type: "FLOW"; readonly flowToken?: string; readonly data?: Readonly<Record<string, unknown>> }
  | { readonly type: "CATALOG"; readonly thumbnailProductRetailerId?: string }
  | {
      readonly type: "MULTI_PRODUCT";
      readonly thumbnailProductRetailerId: string;
      readonly sections: readonly {
        readonly title: string;
        readonly productRetailerIds: readonly string[];
      }[];
    }
  /** The order the user reviews and pays from the template's ORDER_DETAILS button. */
  | { readonly type: "ORDER_DETAILS"; readonly action: OrderDetailsAction }
  /** Optional: a static VOICE_CALL button's link lifetime (minutes) and the payload its call carries. */
  | {
      readonly type: "VOICE_CALL";
      readonly callValidityPeriod?: number;
      readonly callContextPayload?: string;
    };

/** A reaction to a message in the chat (Meta's face); an empty emoji removes an earlier one. */
export interface ReactionContent {
  readonly type: "reaction";
  readonly messageId: string;
  readonly emoji: string;
}

/** Every content type the core knows. */
export type MessageContent =
  | TextContent
  | TemplateContent
  | FreeFormContent
  | InteractiveContent
  | ReactionContent;

/** Free-form content may only be delivered inside the 24-hour customer-service window. */
export function needsOpenWindow(content: MessageContent): boolean {
  return content.type !== "template";
}

/** A message's content and what may travel with it: only a template may carry an SMS failover. */
export type ContentAndFailover =
  | {
      readonly content: TemplateContent;
      /** The SMS to send instead if WhatsApp cannot deliver this template. */
      readonly smsFailover?: SmsFailover;
    }
  | { readonly content: MessageContent; readonly smsFailover?: undefined };

/** What a face asks the core to send, before it is stored. */
export type OutboundRequest = OutboundEnvelope & ContentAndFailover;

/** A request's fields besides its content. */
export interface OutboundEnvelope {
  readonly from: string;
  /** Read by normaliseRecipient (core/phone-number.ts), whatever the face. */
  readonly to: Recipient;
  /** The client's own id, or undefined to have one generated. */
  readonly messageId?: string;
  readonly callbackData?: string;
  readonly notifyUrl?: string;
  readonly entityId?: string;
  readonly applicationId?: string;
  /** The inbound message this one quotes (a reply in the chat). */
  readonly replyTo?: string;
  /** Shorten (and track) the links of the message. */
  readonly urlOptions?: UrlOptions;
}

/** A message as stored: the request plus identity, timing and status (a failure with its error). */
export type StoredMessage = StoredMessageRecord & ContentAndFailover & MessageState;

/** A stored message's fields besides its content and state. */
export interface StoredMessageRecord {
  readonly seq: number;
  readonly accountId: string;
  readonly messageId: string;
  readonly bulkId?: string;
  readonly face: Face;
  readonly from: string;
  readonly to: Recipient;
  readonly callbackData?: string;
  readonly notifyUrl?: string;
  readonly entityId?: string;
  readonly applicationId?: string;
  readonly replyTo?: string;
  readonly acceptedAt: number;
  readonly expiresAt: number;
  /** A template send's category, as registered when it was accepted. */
  readonly category?: TemplateCategory;
  readonly sentAt?: number;
  readonly doneAt?: number;
  readonly seenAt?: number;
  readonly attempts: number;
}
