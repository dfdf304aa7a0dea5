/**
 * A message a WhatsApp user sent to a business sender number, in the core's words: every type a
 * user can send (Meta's inbound message object, seed 002 "Inbound messages"), the media it carries
 * as OpenBSP stored it, and the message it quotes.
 */
import type { ContactCard } from "./free-form-content.ts";

/** Media a user sent, stored by OpenBSP (the bytes beside uploaded media; the record in the media store). */
export interface InboundMedia {
  /** The stored media's id (numeric, like Meta's media ids). */
  readonly id: string;
  readonly mimeType: string;
  readonly sha256: string;
  readonly size: number;
  readonly caption?: string;
  /** Documents only. */
  readonly filename?: string;
}

/** One product of an order a user placed from a catalog. */
export interface OrderItem {
  readonly productRetailerId: string;
  readonly quantity: number;
  /** In the currency's units, as the user saw it (e.g. 12.5). */
  readonly itemPrice: number;
  readonly currency: string;
}

export type InboundContent =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "image"; readonly media: InboundMedia }
  | { readonly type: "video"; readonly media: InboundMedia }
  /** `voice`: a voice note recorded in the chat (push to talk), not an audio file. */
  | { readonly type: "audio"; readonly media: InboundMedia; readonly voice: boolean }
  | { readonly type: "document"; readonly media: InboundMedia }
  | { readonly type: "sticker"; readonly media: InboundMedia; readonly animated: boolean }
  | {
      readonly type: "location";
      readonly latitude: number;
      readonly longitude: number;
      readonly name?: string;
      readonly address?: string;
      readonly url?: string;
    }
  | { readonly type: "contacts"; readonly contacts: readonly ContactCard[] }
  /** A reaction to a message of the chat; an empty emoji takes the user's reaction away. */
  | { readonly type: "reaction"; readonly messageId: string; readonly emoji: string }
  /** A template's quick-reply button was pressed. */
  | { readonly type: "button"; readonly text: string; readonly payload: string }
  /** A reply button of an interactive message was pressed. */
  | { readonly type: "button_reply"; readonly id: string; readonly title: string }
  /** A row of an interactive list was picked. */
  | {
      readonly type: "list_reply";
      readonly id: string;
      readonly title: string;
      readonly description?: string;
    }
  /**
   * A completed flow (Meta's `nfm_reply`): `name` is `flow` for a WhatsApp Flow, `address_message`
   * for an address message's answer; `responseJson` is the JSON text the flow produced.
   */
  | {
      readonly type: "flow_reply";
      readonly name: string;
      readonly body: string;
      readonly responseJson: string;
    }
  | {
      readonly type: "order";
      readonly catalogId: string;
      readonly text?: string;
      readonly items: readonly OrderItem[];
    }
  /** A message type WhatsApp does not pass to businesses (e.g. a poll, a view-once message). */
  | { readonly type: "unsupported" };

/** The message an inbound quotes (replies to). */
export interface InboundQuote {
  /** The quoted message's id: the business's message id, or the user's `wamid`. */
  readonly messageId: string;
  /**
   * Who sent the quoted message (the business number, or the user's). Absent when OpenBSP could not
   * match the id: Infobip matches replies only to outbound messages of the last 4 days (seed 002).
   */
  readonly from?: string;
}

/** How long a quoted outbound message can be matched (Infobip's cache of outbound messages). */
export const QUOTE_MATCH_MS = 4 * 24 * 60 * 60 * 1000;

export interface InboundMessage {
  readonly messageId: string;
  /** The business sender number the user wrote to. */
  readonly to: string;
  /** The user's number. */
  readonly from: string;
  readonly receivedAt: number;
  readonly content: InboundContent;
  readonly contactName?: string;
  /** The message the user replied to (quoted), if any. */
  readonly quote?: InboundQuote;
}
