/** A message ready to be stored, and what storing it did (new, or an idempotent repeat). */
import type { ContentAndFailover, Face, StoredMessage } from "./message.ts";
import type { Recipient } from "./phone-number.ts";
import type { NewShortLink } from "./short-links.ts";
import type { TemplateCategory } from "./template.ts";

/** A message ready to be stored (an SMS failover only with a template); the store assigns `seq`. */
export type NewMessage = NewMessageRecord & ContentAndFailover;

export interface NewMessageRecord {
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
  /** A template send's category, as registered (what the message is priced as). */
  readonly category?: TemplateCategory;
  /** The message's short links, stored with it (only if the message itself is new). */
  readonly shortLinks?: readonly NewShortLink[];
}

/** Per message of an insert: stored now, or already stored under that id (an idempotent retry). */
export type InsertOutcome =
  | { readonly kind: "inserted"; readonly seq: number }
  | { readonly kind: "duplicate"; readonly existing: StoredMessage };
