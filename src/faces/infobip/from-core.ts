/**
 * Core → Infobip: status and error objects (api-reference A.8), dates in Infobip's
 * `yyyy-MM-dd'T'HH:mm:ss.SSSZ` form, and the template object of templates v2.
 */
import type { StoredMessage } from "../../core/message.ts";
import type { MessageStatus, WhatsAppError } from "../../core/message-status.ts";
import { customDomainBase } from "../../core/short-links.ts";
import { placeholders, type Template } from "../../core/template.ts";
import { type KnownErrorCode, knownError, WA } from "../../core/whatsapp-errors.ts";
import type { StatusObject } from "./schemas/common.ts";
import type { TemplateObject } from "./schemas/template-schemas.ts";

/** `2019-04-09T16:00:58.647+0000` */
export function infobipDate(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

const STATUS: Record<MessageStatus, StatusObject> = {
  accepted: { groupId: 1, groupName: "PENDING", id: 7, name: "PENDING_ENROUTE", description: "Message sent to next instance" },
  sent: { groupId: 1, groupName: "PENDING", id: 3, name: "PENDING_WAITING_DELIVERY", description: "Message sent, waiting for delivery report" },
  delivered: { groupId: 3, groupName: "DELIVERED", id: 5, name: "DELIVERED_TO_HANDSET", description: "Message delivered to handset" },
  seen: { groupId: 3, groupName: "DELIVERED", id: 5, name: "DELIVERED_TO_HANDSET", description: "Message delivered to handset" },
  failed: { groupId: 2, groupName: "UNDELIVERABLE", id: 9, name: "UNDELIVERABLE_NOT_DELIVERED", description: "Message sent not delivered" },
  expired: { groupId: 4, groupName: "EXPIRED", id: 15, name: "EXPIRED_EXPIRED", description: "Message expired" },
};

export function statusObject(status: MessageStatus): StatusObject {
  return STATUS[status];
}

export interface InfobipErrorObject {
  groupId: number;
  groupName: string;
  id: number;
  name: string;
  description: string;
  permanent: boolean;
}

export const NO_ERROR: InfobipErrorObject = {
  groupId: 0, groupName: "OK", id: 0, name: "NO_ERROR", description: "No Error", permanent: false,
};

/** WhatsApp (Meta) error codes → Infobip's chat-channel error ids (api-reference A.8). */
const ERRORS: Partial<Record<KnownErrorCode, readonly [number, string]>> = {
  [WA.windowClosed.code]: [7010, "EC_NO_SESSION"],
  [WA.notWhatsAppUser.code]: [7002, "EC_UNKNOWN_USER"],
  [WA.unsupportedMessageType.code]: [7006, "EC_BAD_REQUEST"],
  [WA.spamRateLimited.code]: [7016, "EC_SPAM_RATE"],
  [WA.pairRateLimited.code]: [7017, "EC_TOO_MANY_REQUESTS"],
  [WA.throughputReached.code]: [7017, "EC_TOO_MANY_REQUESTS"],
  [WA.marketingOptedOut.code]: [7033, "EC_MARKETING_OPT_OUT"],
  [WA.accountLocked.code]: [7011, "EC_ACCOUNT_ISSUE"],
  [WA.templateNotFound.code]: [7037, "EC_TEMPLATE_NOT_AVAILABLE"],
  [WA.templateParamCountMismatch.code]: [7008, "EC_INVALID_TEMPLATE_ARGS"],
  [WA.mediaDownloadError.code]: [7013, "EC_MEDIA_HOSTING_ERROR"],
  [WA.mediaUploadError.code]: [7014, "EC_MEDIA_UPLOAD_ERROR"],
};

export function errorObject(message: StoredMessage): InfobipErrorObject {
  if (message.status !== "failed") return NO_ERROR;
  return whatsAppToInfobip(message.error);
}

function whatsAppToInfobip(e: WhatsAppError): InfobipErrorObject {
  const entry = knownError(e.code);
  const known = entry && ERRORS[entry.code];
  const [id, name] = known ?? [7050, "EC_PROVIDER_INTERNAL_ERROR"];
  const client = id < 7036;
  return {
    groupId: client ? 1 : 2,
    groupName: client ? "HANDSET_ERRORS" : "USER_ERRORS",
    id,
    name,
    description: `${e.title} (WhatsApp error ${e.code})${e.details ? `: ${e.details}` : ""}`,
    permanent: true,
  };
}

const TEMPLATE_STATUS: Record<Template["status"], string> = {
  PENDING: "PENDING", APPROVED: "APPROVED", REJECTED: "REJECTED", PAUSED: "FIRST_PAUSED", DISABLED: "DISABLED",
};

/**
 * With a shortening domain, a dynamic URL button is registered with WhatsApp under that domain
 * (sends fill in a short code) and `destinationUrl` keeps the URL it leads to.
 */
export function templateObject(t: Template): TemplateObject {
  const s = t.structure;
  // A carousel's cards all carry media, so the template counts as a media template.
  const media = (s.header !== undefined && s.header.format !== "TEXT") || s.carousel !== undefined;
  const structure = {
    ...(s.header ? { header: s.header } : {}),
    body: { text: s.body.text, ...(s.body.examples ? { examples: s.body.examples } : {}) },
    ...(s.footer ? { footer: s.footer } : {}),
    ...(s.buttons.length > 0
      ? {
          buttons: s.buttons.map((b) =>
            b.type === "OTP"
              ? { otpType: b.otpType, ...(b.text ? { text: b.text } : {}) }
              : b.type === "FLOW"
                ? { ...b, flowId: Number(b.flowId) }
                : b.type === "URL" && s.shortening && placeholders(b.url).length > 0
                  ? { ...b, url: `${customDomainBase(s.shortening.customDomain)}/{{1}}`, destinationUrl: b.url }
                  : b,
          ),
        }
      : {}),
    ...(s.limitedTimeOffer ? { limitedTimeOffer: s.limitedTimeOffer } : {}),
    ...(s.shortening ? { shorteningOptions: s.shortening } : {}),
    ...(s.carousel ? { carousel: s.carousel } : {}),
    type: media ? "MEDIA" : "TEXT",
  };
  return {
    id: t.id,
    businessAccountId: Number(t.wabaId),
    name: t.name,
    language: t.language,
    status: TEMPLATE_STATUS[t.status],
    category: t.category,
    structure,
    quality: t.status === "APPROVED" ? "HIGH" : "UNKNOWN",
    ...(t.entityId || t.applicationId
      ? { platform: { ...(t.entityId ? { entityId: t.entityId } : {}), ...(t.applicationId ? { applicationId: t.applicationId } : {}) } }
      : {}),
    createdAt: infobipDate(t.createdAt),
    lastUpdatedAt: infobipDate(t.updatedAt),
  };
}
