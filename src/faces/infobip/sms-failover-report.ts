/**
 * Infobip's delivery report for a template that failed over to SMS. As with Infobip's failover
 * (OMNI) reports there is one report per message, under the message's id, for the channel that
 * carried it last: `channel: "SMS"`, the SMS's sender, its status and error in Infobip's SMS
 * wording (GSM error ids), and `messageCount` as the number of SMS parts.
 */
import type { SmsFailoverReport, WebhookPost } from "../../app/report-formatter.ts";
import type { SmsOutcome } from "../../core/sms-failover.ts";
import { type InfobipErrorObject, infobipDate, NO_ERROR, type StatusObject } from "./from-core.ts";

const STATUS: Record<SmsOutcome["state"], StatusObject> = {
  delivered: {
    groupId: 3,
    groupName: "DELIVERED",
    id: 5,
    name: "DELIVERED_TO_HANDSET",
    description: "Message delivered to handset",
  },
  undeliverable: {
    groupId: 2,
    groupName: "UNDELIVERABLE",
    id: 9,
    name: "UNDELIVERABLE_NOT_DELIVERED",
    description: "Message sent not delivered",
  },
  rejected: {
    groupId: 2,
    groupName: "UNDELIVERABLE",
    id: 4,
    name: "UNDELIVERABLE_REJECTED_OPERATOR",
    description: "Message rejected by operator",
  },
  expired: {
    groupId: 4,
    groupName: "EXPIRED",
    id: 15,
    name: "EXPIRED_EXPIRED",
    description: "Message expired",
  },
};

/** GSM MAP error codes, as Infobip names them among its handset errors; [name, permanent]. */
const GSM_ERRORS: Record<number, [string, boolean]> = {
  1: ["EC_UNKNOWN_SUBSCRIBER", true],
  5: ["EC_UNIDENTIFIED_SUBSCRIBER", true],
  9: ["EC_ILLEGAL_SUBSCRIBER", true],
  11: ["EC_TELESERVICE_NOT_PROVISIONED", true],
  13: ["EC_CALL_BARRED", true],
  27: ["EC_ABSENT_SUBSCRIBER", false],
  31: ["EC_SUBSCRIBER_BUSY_FOR_MT_SMS", false],
  32: ["EC_SM_DELIVERY_FAILURE", false],
  34: ["EC_SYSTEM_FAILURE", false],
};

function smsError(o: SmsOutcome): InfobipErrorObject {
  if (o.errorCode === 0 && o.state !== "rejected") return NO_ERROR;
  const [name, permanent] = GSM_ERRORS[o.errorCode] ?? ["EC_SM_DELIVERY_FAILURE", o.state === "rejected"];
  const id = GSM_ERRORS[o.errorCode] ? o.errorCode : 32;
  return {
    groupId: 1,
    groupName: "HANDSET_ERRORS",
    id,
    name,
    description: o.reason ?? `The network reported error ${o.errorCode}`,
    permanent,
  };
}

export function smsFailoverReport(reports: readonly SmsFailoverReport[]): WebhookPost {
  const body = JSON.stringify({
    results: reports.map(({ message: m, sms, outcome }) => ({
      ...(m.bulkId ? { bulkId: m.bulkId } : {}),
      messageId: m.messageId,
      to: sms.to,
      from: sms.from,
      sentAt: infobipDate(sms.submittedAt ?? sms.createdAt),
      doneAt: infobipDate(outcome.at),
      messageCount: sms.segments,
      price: { pricePerMessage: 0, currency: "EUR" },
      status: STATUS[outcome.state],
      error: smsError(outcome),
      channel: "SMS",
      ...(m.callbackData !== undefined ? { callbackData: m.callbackData } : {}),
      ...(m.entityId ? { entityId: m.entityId } : {}),
      ...(m.applicationId ? { applicationId: m.applicationId } : {}),
    })),
  });
  return { body };
}
