/**
 * The callbacks Sinch's WhatsApp API v1 pushes (api-reference B.3), all as
 * `{"type":"whatsapp", statuses?, contacts?, notifications?}` to the bot's callback URL (or the
 * send's `callback`): delivery reports in states dispatched, delivered, read, failed,
 * no_capability (not a WhatsApp user) and deleted (expired), and inbound messages.
 */
import type { ReportFormatter } from "../../app/report-formatter.ts";
import type { InboundContent, InboundMessage } from "../../core/inbound.ts";
import type { StoredMessage } from "../../core/message.ts";
import type { ReportKind } from "../../core/message-status.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import { botIdOf, sinchCallbackUrl } from "./sinch-settings.ts";

/** A status of Sinch's callbacks and send answers (`Status` in schemas/common.ts is its schema). */
export interface Status {
  message_id: string;
  recipient: string;
  status: "success" | "failure";
  state: string;
  details?: string;
  timestamp?: string;
}

/** `2020-05-02T18:40:42Z`, as Sinch writes times. */
export function sinchTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Sinch writes recipients in E.164 with the plus. */
export const recipient = (to: string) => `+${to}`;

export function dlr(kind: ReportKind, m: StoredMessage): Status {
  const base = { message_id: m.messageId, recipient: recipient(m.to) };
  if (kind === "sent") return { ...base, status: "success", state: "dispatched", timestamp: sinchTime(m.sentAt ?? m.acceptedAt) };
  if (kind === "seen") return { ...base, status: "success", state: "read", timestamp: sinchTime(m.seenAt ?? m.doneAt ?? m.acceptedAt) };
  const at = sinchTime(m.doneAt ?? m.acceptedAt);
  if (m.status !== "failed" && m.status !== "expired") return { ...base, status: "success", state: "delivered", timestamp: at };
  const e = m.error;
  const details = `${e.title} (WhatsApp error ${e.code})${e.details ? `: ${e.details}` : ""}`;
  const state = m.status === "expired" ? "deleted" : e.code === WA.notWhatsAppUser.code ? "no_capability" : "failed";
  return { ...base, status: "failure", state, details, timestamp: at };
}

/** The `message` object of an inbound notification, by type. */
function inboundMessage(c: InboundContent): Record<string, unknown> {
  switch (c.type) {
    case "text":
      return { type: "text", body: c.text };
    case "button":
      return { type: "button", text: c.text, payload: c.payload };
    case "button_reply":
      return { type: "interactive", message: { type: "button", id: c.id, title: c.title } };
    case "list_reply":
      return { type: "interactive", message: { type: "list", id: c.id, title: c.title, ...(c.description ? { description: c.description } : {}) } };
    default:
      // The other types of a user's message are worded by issue #10's work; until then, unsupported.
      return { type: "unsupported" };
  }
}

export const sinchReports: ReportFormatter = {
  kinds: new Set(["sent", "delivery", "seen"]),
  reportUrl: sinchCallbackUrl,
  inboundUrl: sinchCallbackUrl,
  reportsPerPost: 100,
  report: (reports) => ({ body: JSON.stringify({ type: "whatsapp", statuses: reports.map((r) => dlr(r.kind, r.message)) }) }),

  inbound(m: InboundMessage, sender) {
    // Sinch sends the sender's profile only with text, contact and location messages.
    const contacts = m.content.type === "text" ? { contacts: [{ profile: { name: m.contactName ?? "" }, wa_id: m.from }] } : {};
    const body = JSON.stringify({
      type: "whatsapp",
      ...contacts,
      notifications: [
        {
          from: m.from,
          to: botIdOf(sender),
          message_id: m.messageId,
          message: inboundMessage(m.content),
          timestamp: sinchTime(m.receivedAt),
          ...(m.quote ? { replying_to: { from: m.quote.from ?? sender.number, message_id: m.quote.messageId } } : {}),
        },
      ],
    });
    return { body };
  },
};
