/**
 * What a batch of carrier events does to its messages: each status move (from the core's status
 * machine) and the reports the moves owe. Reports for the same receiver, face, sender and kind
 * travel together, up to the face's `reportsPerPost` per POST (Infobip's `results[]` holds 100;
 * Meta sends one status per POST). Pure and synchronous, so the store runs it inside its transaction, on
 * whichever thread owns the database.
 */
import type { Account, Sender } from "../core/account.ts";
import type { PlanEvents } from "../core/events-plan.ts";
import type { StoredMessage } from "../core/message.ts";
import { applyEvent, isFailure, type ReportKind, type Transition } from "../core/message-status.ts";
import { triggersFailover } from "../core/sms-failover.ts";
import type { NewWebhook } from "../core/webhook.ts";
import { uuidv7 } from "./ids.ts";
import type { ReportFormatters } from "./report-formatter.ts";

interface Group {
  readonly url: string;
  readonly subscriptionId?: string;
  readonly account: Account;
  readonly sender: Sender;
  readonly items: { kind: ReportKind; message: StoredMessage; at: number }[];
}

export function makePlanEvents(formatters: ReportFormatters): PlanEvents {
  return (items) => {
    const current = new Map<number, StoredMessage>();
    const moves: { seq: number; from: StoredMessage["status"]; transition: Transition }[] = [];
    const groups = new Map<string, Group>();
    const failovers: { seq: number; at: number }[] = [];

    for (const { message: stored, event, account, sender, subscriptions } of items) {
      const message = current.get(stored.seq) ?? stored;
      const transition = applyEvent(message.status, event);
      if (!transition) continue;
      const updated = moved(message, transition);
      current.set(message.seq, updated);
      moves.push({ seq: message.seq, from: message.status, transition });
      // WhatsApp gave up and the SMS goes instead: the SMS's outcome is the one report (see sms-failover-reports.ts).
      if (triggersFailover(message, transition)) {
        failovers.push({ seq: message.seq, at: event.at });
        continue;
      }
      const formatter = formatters[message.face];
      if (!formatter) continue;
      const facts = {
        sender: message.from,
        wabaId: sender.wabaId,
        applicationId: message.applicationId,
        entityId: message.entityId,
      };
      for (const kind of transition.reports) {
        if (!formatter.kinds.has(kind)) continue;
        // The message's own URL, else the subscriptions that take this kind, else the account's default.
        const subscribed = message.notifyUrl
          ? []
          : (formatter.subscribedUrls?.(account, subscriptions, kind, facts) ?? []);
        const fallback = message.notifyUrl ?? formatter.reportUrl(account);
        const routes = subscribed.length > 0 ? subscribed : fallback ? [{ url: fallback }] : [];
        for (const route of routes) {
          const { url } = route;
          const key = `${message.face}\u0000${kind}\u0000${message.accountId}\u0000${message.from}\u0000${url}`;
          let group = groups.get(key);
          if (!group) {
            group = {
              url,
              account,
              sender,
              items: [],
              ...(route.subscriptionId ? { subscriptionId: route.subscriptionId } : {}),
            };
            groups.set(key, group);
          }
          group.items.push({ kind, message: updated, at: event.at });
        }
      }
    }

    const webhooks: NewWebhook[] = [];
    for (const group of groups.values()) {
      const formatter = formatters[(group.items[0] as Group["items"][number]).message.face];
      if (!formatter) continue;
      for (let i = 0; i < group.items.length; i += formatter.reportsPerPost) {
        const chunk = group.items.slice(i, i + formatter.reportsPerPost);
        const first = chunk[0] as (typeof chunk)[number];
        // Each report shows the message as it stood after its own move, even when a later move
        // of the same batch (seen after delivered) changed it again.
        const post = formatter.report(chunk, group.sender, group.account);
        webhooks.push({
          id: uuidv7(first.at),
          accountId: first.message.accountId,
          url: group.url,
          body: post.body,
          ...(post.headers ? { headers: post.headers } : {}),
          reports: chunk.length,
          messageIds: chunk.map((c) => c.message.messageId),
          ...(group.subscriptionId ? { subscriptionId: group.subscriptionId } : {}),
          createdAt: first.at,
        });
      }
    }
    return { moves, webhooks, ...(failovers.length > 0 ? { failovers } : {}) };
  };
}

function moved(message: StoredMessage, t: Transition): StoredMessage {
  // One copy per step. The state is the transition's alone: a failure brings its error, and only a
  // message still on its way moves, so an error to drop is the rare case.
  const next: Record<string, unknown> = { ...message, status: t.status };
  if (isFailure(t)) next.error = t.error;
  else if ("error" in next) delete next.error;
  if (message.sentAt === undefined && t.sentAt !== undefined) next.sentAt = t.sentAt;
  if (message.doneAt === undefined && t.doneAt !== undefined) next.doneAt = t.doneAt;
  if (message.seenAt === undefined && t.seenAt !== undefined) next.seenAt = t.seenAt;
  return next as unknown as StoredMessage;
}
