/**
 * The end of an SMS failover: its outcome is stored together with the delivery report it owes, in
 * the dialect the message came in (the face's `smsFailover` wording), so the report is queued
 * exactly when the failover becomes final, once.
 */
import type { SmsOutcome } from "../core/sms-failover.ts";
import type { SmsFailoverRecord } from "../core/sms-failover-record.ts";
import type { NewWebhook } from "../core/webhook.ts";
import type { AppContext } from "./context.ts";
import { uuidv7 } from "./ids.ts";

/** True if this outcome made the failover final (false: it already was, nothing reported). */
export async function finishSmsFailover(
  ctx: AppContext,
  sms: SmsFailoverRecord,
  outcome: SmsOutcome,
): Promise<boolean> {
  const { storage } = ctx;
  const [message, account] = await Promise.all([
    storage.messages.get(sms.accountId, sms.messageId),
    storage.catalog.getAccount(sms.accountId),
  ]);
  const formatter = message && ctx.formatters[message.face];
  const url = account && formatter && (message.notifyUrl ?? formatter.reportUrl(account));
  const post = url && formatter.smsFailover?.([{ message, sms, outcome }], account);
  const webhooks: NewWebhook[] = post
    ? [
        {
          id: uuidv7(outcome.at),
          accountId: sms.accountId,
          url,
          body: post.body,
          ...(post.headers ? { headers: post.headers } : {}),
          reports: 1,
          messageIds: [sms.messageId],
          createdAt: outcome.at,
        },
      ]
    : [];
  return storage.smsFailovers.finish(sms.seq, outcome, webhooks);
}
