/**
 * Applies carrier events to messages; the store moves each status and queues the reports the move
 * owes in one transaction (see plan-event.ts), so a status change and its webhook are stored
 * together or not at all.
 */
import type { MessageEventInput } from "../core/events-plan.ts";
import type { AppContext } from "./context.ts";

export async function recordEvents(ctx: AppContext, items: readonly MessageEventInput[]): Promise<number> {
  if (items.length === 0) return 0;
  // The store wakes the webhook sender once the reports are committed.
  return ctx.storage.messages.applyEvents(items);
}
