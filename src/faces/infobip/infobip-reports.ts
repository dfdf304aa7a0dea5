/**
 * The webhooks Infobip pushes (api-reference A.9): delivery reports, seen reports and inbound
 * messages, each as `{"results":[…]}`; like Infobip, one POST may carry the reports of many messages.
 */

import type { ReportFormatter } from "../../app/report-formatter.ts";
import { routeAccountEvent, routeEvent } from "../../core/event-subscription.ts";
import type { InboundMessage } from "../../core/inbound.ts";
import type { StoredMessage } from "../../core/message.ts";
import { errorObject, infobipDate, statusObject } from "./from-core.ts";
import { inboundResult } from "./inbound-message.ts";
import { deliveryUrlOf, inboundUrlOf } from "./infobip-settings.ts";
import { smsFailoverReport } from "./sms-failover-report.ts";

function platform(m: StoredMessage) {
  return {
    ...(m.entityId ? { entityId: m.entityId } : {}),
    ...(m.applicationId ? { applicationId: m.applicationId } : {}),
  };
}

function delivery(messages: readonly StoredMessage[]): string {
  return JSON.stringify({
    results: messages.map((m) => ({
      ...(m.bulkId ? { bulkId: m.bulkId } : {}),
      messageId: m.messageId,
      to: m.to,
      from: m.from,
      sentAt: infobipDate(m.sentAt ?? m.acceptedAt),
      doneAt: infobipDate(m.doneAt ?? m.acceptedAt),
      messageCount: 1,
      price: { pricePerMessage: 0, currency: "EUR" },
      status: statusObject(m.status),
      error: errorObject(m),
      channel: "WHATSAPP",
      ...(m.callbackData !== undefined ? { callbackData: m.callbackData } : {}),
      ...platform(m),
    })),
  });
}

function seen(messages: readonly StoredMessage[]): string {
  return JSON.stringify({
    results: messages.map((m) => ({
      messageId: m.messageId,
      from: m.from,
      to: m.to,
      sentAt: infobipDate(m.sentAt ?? m.acceptedAt),
      seenAt: infobipDate(m.seenAt ?? m.doneAt ?? m.acceptedAt),
      ...(m.callbackData !== undefined ? { callbackData: m.callbackData } : {}),
      ...platform(m),
    })),
  });
}

/** Infobip's event names (seed 002) for what OpenBSP reports. */
const INFOBIP_EVENT = {
  sent: "SENT",
  delivery: "DELIVERY",
  seen: "SEEN",
  template: "TEMPLATE_UPDATE",
  inbound: "INBOUND_MESSAGE",
  click: "CLICK",
} as const;

export const infobipReports: ReportFormatter = {
  kinds: new Set(["delivery", "seen"]),
  reportUrl: deliveryUrlOf,
  inboundUrl: inboundUrlOf,
  // Infobip's TEMPLATE_UPDATE event (its OpenAPI webhook receive-whatsapp-message-template-update-events),
  // sent only to subscriptions, as Infobip does.
  templateStatusBySubscription: true,
  templateStatus: (t) => ({
    body: JSON.stringify({
      messageTemplateId: t.id,
      messageTemplateName: t.name,
      messageTemplateLanguage: t.language,
      timestamp: infobipDate(t.updatedAt),
      change: {
        type: "TEMPLATE_STATUS_UPDATE",
        newStatus: t.status,
        reason: t.status === "REJECTED" ? (t.rejectionReason ?? "INVALID_FORMAT") : "NONE",
      },
      // Numeric in Infobip's schema: ids of another shape are left out.
      ...(t.entityId && /^\d+$/.test(t.entityId) ? { entityId: Number(t.entityId) } : {}),
      ...(t.applicationId && /^\d+$/.test(t.applicationId) ? { applicationId: Number(t.applicationId) } : {}),
    }),
  }),
  subscribedUrls(_account, { subscriptions, profiles }, kind, facts) {
    if (subscriptions.length === 0) return [];
    return routeEvent(subscriptions, profiles, "WHATSAPP", INFOBIP_EVENT[kind], facts);
  },
  /**
   * OpenBSP's account event (Infobip has none): an endpoint of the account disabled after failing
   * past the window, shaped like Infobip's TEMPLATE_UPDATE event (a `timestamp` and a typed
   * `change`), to the subscriptions that take TEMPLATE_UPDATE, whatever their criteria.
   */
  accountEventUrls: (_account, { subscriptions, profiles }) =>
    routeAccountEvent(subscriptions, profiles, "WHATSAPP", INFOBIP_EVENT.template),
  endpointDisabled: (e) => ({
    body: JSON.stringify({
      timestamp: infobipDate(e.disabledAt),
      change: {
        type: "WEBHOOK_ENDPOINT_DISABLED",
        notifyUrl: e.url,
        failingSince: infobipDate(e.failingSince),
        disabledAt: infobipDate(e.disabledAt),
        reason:
          "The endpoint failed for longer than the window; nothing more is sent to it. What it was to receive is " +
          "kept and sent once each when it is enabled again (POST /openbsp/1/webhook-endpoints/enable).",
      },
    }),
  }),
  reportsPerPost: 100,
  report(reports) {
    const messages = reports.map((r) => r.message);
    return { body: reports[0]?.kind === "seen" ? seen(messages) : delivery(messages) };
  },

  /**
   * Infobip's tracking notification, as its trackingUrl reports look for SMS, Viber and email
   * (Infobip's WhatsApp OpenAPI has no schema for it): one click, one object, not `results[]`.
   */
  click(c) {
    const m = c.message;
    const body = JSON.stringify({
      notificationType: "CLICKED",
      eventId: c.eventId,
      domain: c.domain,
      recipient: m.to,
      url: c.url,
      sendDateTime: m.sentAt ?? m.acceptedAt,
      messageId: m.messageId,
      ...(m.bulkId ? { bulkId: m.bulkId } : {}),
      ...(m.callbackData !== undefined ? { callbackData: m.callbackData } : {}),
      ...platform(m),
    });
    return { body };
  },

  inbound(m: InboundMessage, _sender, _account, publicBase) {
    return {
      body: JSON.stringify({
        results: [inboundResult(m, publicBase)],
        messageCount: 1,
        pendingMessageCount: 0,
      }),
    };
  },

  smsFailover: smsFailoverReport,
};
