/** A message ready to be stored, and what storing it did (new, or an idempotent repeat). */
import type { ContentAndFailover, StoredMessage, StoredMessageRecord } from "./message.ts";
import type { NewShortLink } from "./short-links.ts";

/** A message ready to be stored (an SMS failover only with a template); the store assigns `seq`. */
export type NewMessage = NewMessageRecord & ContentAndFailover;

/** The fields a stored message has from the start: all but the store's `seq` and what dispatch adds. */
export interface NewMessageRecord
  extends Omit<StoredMessageRecord, "seq" | "sentAt" | "doneAt" | "seenAt" | "attempts"> {
  /** The message's short links, stored with it (only if the message itself is new). */
  readonly shortLinks?: readonly NewShortLink[];
}

/** Per message of an insert: stored now, or already stored under that id (an idempotent retry). */
export type InsertOutcome =
  | { readonly kind: "inserted"; readonly seq: number }
  | { readonly kind: "duplicate"; readonly existing: StoredMessage };
