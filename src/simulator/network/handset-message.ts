/** A message in a simulated phone, and what the phone will do next with it. */
import type { ReceivedMedia } from "../../core/media-rules.ts";
import type { MessageContent } from "../../core/message.ts";

export interface HandsetMessage {
  readonly seq: number;
  readonly phone: string;
  readonly sender: string;
  readonly messageId: string;
  readonly content: MessageContent;
  /** The inbound message it quotes, if any. */
  readonly replyTo?: string;
  /** The media the phone downloaded for it. */
  readonly media?: ReceivedMedia;
  /** The media it downloaded for each card of a carousel, in card order. */
  readonly cardMedia?: readonly ReceivedMedia[];
  readonly state: "in_transit" | "delivered" | "read";
  readonly receivedAt: number;
  readonly nextEventAt?: number;
  readonly readDelayMs?: number;
  readonly expiresAt: number;
}
