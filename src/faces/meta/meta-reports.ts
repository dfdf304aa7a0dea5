/**
 * The webhooks Meta's Cloud API POSTs (api-reference C.3): the `whatsapp_business_account`
 * envelope with statuses (sent, delivered, read, failed — with conversation and pricing) and
 * inbound messages, signed with `X-Hub-Signature-256` when the app secret is set.
 */

import type { ReportFormatter, WebhookPost } from "../../app/report-formatter.ts";
import type { Account, Sender } from "../../core/account.ts";
import type { InboundMessage } from "../../core/inbound.ts";
import type { StoredMessage } from "../../core/message.ts";
import { isFailure, type ReportKind } from "../../core/message-status.ts";
import type { Template } from "../../core/template.ts";
import { metaJson, type WebhookField, webhookEnvelope } from "../../meta-graph/webhook-envelope.ts";
import { SIGNATURE_HEADER, signature } from "../../meta-graph/webhook-signature.ts";
import { inboundItem } from "./inbound-message.ts";
import { appSubscriptionOf, metaCallbackFor, metaSettings, phoneNumberIdOf } from "./meta-settings.ts";

const seconds = (ms: number) => String(Math.floor(ms / 1000));

function post(
  account: Account,
  wabaId: string,
  value: Record<string, unknown>,
  field: WebhookField = "messages",
): WebhookPost {
  const body = metaJson(webhookEnvelope(wabaId, field, value));
  const secret = metaSettings(account)?.appSecret;
  return secret ? { body, headers: { [SIGNATURE_HEADER]: signature(secret, body) } } : { body };
}

function metadata(sender: Sender) {
  return { display_phone_number: sender.number, phone_number_id: phoneNumberIdOf(sender) };
}

function pricingCategory(m: StoredMessage): string {
  return m.category ? m.category.toLowerCase() : "service";
}

function status(kind: ReportKind, m: StoredMessage): Record<string, unknown> {
  const failed = m.status === "failed" || m.status === "expired";
  const name = kind === "sent" ? "sent" : kind === "seen" ? "read" : failed ? "failed" : "delivered";
  const at = kind === "sent" ? m.sentAt : kind === "seen" ? m.seenAt : m.doneAt;
  const base = {
    id: m.messageId,
    status: name,
    timestamp: seconds(at ?? m.acceptedAt),
    recipient_id: m.to,
    ...(m.callbackData !== undefined ? { biz_opaque_callback_data: m.callbackData } : {}),
  };
  if (name === "failed" && isFailure(m)) {
    const e = m.error;
    return {
      ...base,
      errors: [
        {
          code: e.code,
          title: e.title,
          message: e.title,
          error_data: { details: e.details ?? e.title },
          href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
        },
      ],
    };
  }
  const category = pricingCategory(m);
  return {
    ...base,
    ...(name === "read"
      ? {}
      : {
          conversation: {
            id: m.messageId.slice(-32),
            ...(name === "sent"
              ? { expiration_timestamp: seconds((m.sentAt ?? m.acceptedAt) + 86_400_000) }
              : {}),
            origin: { type: category },
          },
          pricing: {
            billable: category !== "service",
            pricing_model: "PMP",
            category,
            type: category === "service" ? "free_customer_service" : "regular",
          },
        }),
  };
}

export const metaReports: ReportFormatter = {
  kinds: new Set(["sent", "delivery", "seen"]),
  // Meta's levels (meta-settings.ts) choose the one URL; the account's default applies on its own
  // only while the app has no subscription (whose fields then decide what is sent at all).
  subscribedUrls: (account, _subscriptions, kind, facts) => {
    const url = metaCallbackFor(
      account,
      kind === "template" ? "message_template_status_update" : "messages",
      facts,
    );
    return url ? [{ url }] : [];
  },
  reportUrl: (account) => (appSubscriptionOf(account) ? undefined : metaSettings(account)?.webhookUrl),
  inboundUrl: (account) => (appSubscriptionOf(account) ? undefined : metaSettings(account)?.webhookUrl),
  reportsPerPost: 1,
  report: (reports, sender, account) =>
    post(account, sender.wabaId, {
      messaging_product: "whatsapp",
      metadata: metadata(sender),
      statuses: reports.map((r) => status(r.kind, r.message)),
    }),
  inbound: (m: InboundMessage, sender, account) =>
    post(account, sender.wabaId, {
      messaging_product: "whatsapp",
      metadata: metadata(sender),
      contacts: [{ profile: { name: m.contactName ?? "" }, wa_id: m.from }],
      messages: [inboundItem(m)],
    }),
  templateStatus: (t: Template, account) =>
    post(
      account,
      t.wabaId,
      {
        event: t.status,
        message_template_id: Number(t.id),
        message_template_name: t.name,
        message_template_language: t.language,
        reason: t.status === "REJECTED" ? (t.rejectionReason ?? "NONE") : "NONE",
      },
      "message_template_status_update",
    ),
};
