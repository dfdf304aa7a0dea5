/**
 * Applies carrier events to messages and queues the reports each move owes, in one transaction:
 * a status change and its webhook are stored together or not at all.
 */
import type { StoredMessage } from "../core/message.ts";
import { applyEvent } from "../core/message-status.ts";
import type { MessageEventInput, NewWebhook, PlanEvent } from "../store/store.ts";
import type { AppContext } from "./context.ts";
import { uuidv7 } from "./ids.ts";

export async function recordEvents(ctx: AppContext, items: readonly MessageEventInput[]): Promise<number> {
  if (items.length === 0) return 0;
  const changed = await ctx.store.applyMessageEvents(items, planFor(ctx));
  if (changed > 0) ctx.wake.webhooks();
  return changed;
}

function planFor(ctx: AppContext): PlanEvent {
  return (message, event, account) => {
    const transition = applyEvent(message.status, event);
    if (!transition) return undefined;
    const updated: StoredMessage = {
      ...message,
      status: transition.status,
      ...(transition.error ? { error: transition.error } : {}),
      ...(message.sentAt === undefined && transition.sentAt !== undefined ? { sentAt: transition.sentAt } : {}),
      ...(message.doneAt === undefined && transition.doneAt !== undefined ? { doneAt: transition.doneAt } : {}),
      ...(message.seenAt === undefined && transition.seenAt !== undefined ? { seenAt: transition.seenAt } : {}),
    };
    const url = message.notifyUrl ?? account.deliveryUrl;
    const formatter = ctx.formatters[message.face];
    const webhooks: NewWebhook[] = [];
    if (url && formatter) {
      for (const kind of transition.reports) {
        webhooks.push({
          id: uuidv7(event.at),
          accountId: message.accountId,
          url,
          body: kind === "delivery" ? formatter.delivery(updated) : formatter.seen(updated),
          createdAt: event.at,
        });
      }
    }
    return { transition, webhooks };
  };
}
