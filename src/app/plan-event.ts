/**
 * What one carrier event does to one message: the status move (from the core's status machine)
 * and the reports it owes, worded by the face the message came through. Pure and synchronous, so
 * the store can run it inside its transaction, on whichever thread owns the database.
 */
import type { StoredMessage } from "../core/message.ts";
import { applyEvent } from "../core/message-status.ts";
import type { NewWebhook, PlanEvent } from "../store/store.ts";
import { uuidv7 } from "./ids.ts";
import type { ReportFormatters } from "./report-formatter.ts";

export function makePlanEvent(formatters: ReportFormatters): PlanEvent {
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
    const formatter = formatters[message.face];
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
