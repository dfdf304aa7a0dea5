/**
 * What happened, for whoever watches live (the console's event stream): a bounded ring of events
 * with a cursor. It records only while someone has read it lately, so with nobody watching a
 * record is one comparison and nothing is kept.
 */
import type { MessageStatus } from "../core/message-status.ts";

export type ActivityEvent =
  | {
      readonly type: "message";
      readonly accountId: string;
      readonly messageId: string;
      readonly status: MessageStatus;
      readonly at: number;
    }
  | {
      readonly type: "webhook";
      readonly accountId: string;
      readonly webhookId: string;
      readonly url: string;
      readonly outcome: "delivered" | "retry" | "failed";
      readonly latencyMs: number;
      readonly reason?: string;
      readonly at: number;
    }
  | {
      readonly type: "inbound";
      readonly messageId: string;
      readonly from: string;
      readonly to: string;
      readonly at: number;
    }
  | {
      readonly type: "template";
      readonly wabaId: string;
      readonly templateId: string;
      readonly name: string;
      readonly status: string;
      readonly at: number;
    };

/** Where events are read from: the feed, across the store's thread or not. */
export interface ActivitySource {
  activity(cursor: number): Promise<ActivityPage>;
  record(event: ActivityEvent): Promise<void>;
}

/** Events after a cursor, and the cursor to ask from next. */
export interface ActivityPage {
  readonly cursor: number;
  readonly events: readonly ActivityEvent[];
  /** Some events after the cursor asked for were dropped (the ring went round): reload. */
  readonly gap: boolean;
}

const SIZE = 4096;
/** A reader that has not asked for this long is gone: recording stops. */
const READER_TIMEOUT_MS = 15_000;

export class ActivityFeed {
  readonly #ring: ActivityEvent[] = [];
  /** Cursor of the newest event (how many were ever recorded). */
  #last = 0;
  #readUntil = 0;

  /** Is anyone watching? Callers test this before building an event. */
  get watched(): boolean {
    return this.#readUntil > Date.now();
  }

  record(event: ActivityEvent): void {
    if (!this.watched) return;
    this.#ring[this.#last % SIZE] = event;
    this.#last++;
  }

  /** Events after `cursor` (0: none yet; a reader starts from `cursor` of its first read). Keeps recording on. */
  read(cursor: number): ActivityPage {
    this.#readUntil = Date.now() + READER_TIMEOUT_MS;
    const from = Math.max(cursor, this.#last - SIZE);
    const events: ActivityEvent[] = [];
    for (let i = from; i < this.#last; i++) events.push(this.#ring[i % SIZE] as ActivityEvent);
    return { cursor: this.#last, events, gap: from > cursor };
  }
}
