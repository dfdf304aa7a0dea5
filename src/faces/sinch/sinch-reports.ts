/**
 * The callbacks Sinch's WhatsApp API v1 pushes (api-reference B.3), all as
 * `{"type":"whatsapp", statuses?, contacts?, notifications?}` to the bot's callback URL (or the
 * send's `callback`): delivery reports in states dispatched, delivered, read, failed,
 * no_capability (not a WhatsApp user) and deleted (expired), and inbound messages.
 */
import type { ReportFormatter } from "../../app/report-formatter.ts";
import type { InboundMessage } from "../../core/inbound.ts";
import type { StoredMessage } from "../../core/message.ts";
import type { ReportKind } from "../../core/message-status.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import { inboundNotification, withProfile } from "./inbound-notification.ts";
import { botIdOf, sinchCallbackUrl } from "./sinch-settings.ts";
import { sinchTime } from "./sinch-time.ts";

/** A status of Sinch's callbacks and send answers (`Status` in schemas/common.ts is its schema). */
export interface Status {
  message_id: string;
  recipient: string;
  status: "success" | "failure";
  state: string;
  details?: string;
  timestamp?: string;
}

/** Sinch writes recipients in E.164 with the plus. */
export const recipient = (to: string) => `+${to}`;

export function dlr(kind: ReportKind, m: StoredMessage): Status {
  const base = { message_id: m.messageId, recipient: recipient(m.to) };
  if (kind === "sent")
    return {
      ...base,
      status: "success",
      state: "dispatched",
      timestamp: sinchTime(m.sentAt ?? m.acceptedAt),
    };
  if (kind === "seen")
    return {
      ...base,
      status: "success",
      state: "read",
      timestamp: sinchTime(m.seenAt ?? m.doneAt ?? m.acceptedAt),
    };
  const at = sinchTime(m.doneAt ?? m.acceptedAt);
  if (m.status !== "failed" && m.status !== "expired")
    return { ...base, status: "success", state: "delivered", timestamp: at };
  const e = m.error;
  const details = `${e.title} (WhatsApp error ${e.code})${e.details ? `: ${e.details}` : ""}`;
  const state =
    m.status === "expired" ? "deleted" : e.code === WA.notWhatsAppUser.code ? "no_capability" : "failed";
  return { ...base, status: "failure", state, details, timestamp: at };
}

export const sinchReports: ReportFormatter = {
  kinds: new Set(["sent", "delivery", "seen"]),
  reportUrl: sinchCallbackUrl,
  inboundUrl: sinchCallbackUrl,
  reportsPerPost: 100,
  report: (reports) => ({
    body: JSON.stringify({ type: "whatsapp", statuses: reports.map((r) => dlr(r.kind, r.message)) }),
  }),

  inbound(m: InboundMessage, sender, _account, publicBase) {
    const contacts = withProfile(m.content)
      ? { contacts: [{ profile: { name: m.contactName ?? "" }, wa_id: m.from }] }
      : {};
    const notification = inboundNotification(m, publicBase, botIdOf(sender), sender.number);
    return { body: JSON.stringify({ type: "whatsapp", ...contacts, notifications: [notification] }) };
  },
};
