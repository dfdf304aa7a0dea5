/**
 * Core → Infobip: status and error objects (api-reference A.8) and dates in Infobip's
 * `yyyy-MM-dd'T'HH:mm:ss.SSSZ` form, shared by answers and reports. No schemas here: the report
 * wording loads this file on the store thread.
 */
import type { StoredMessage } from "../../core/message.ts";
import type { MessageStatus, WhatsAppError } from "../../core/message-status.ts";
import { type KnownErrorCode, knownError, WA } from "../../core/whatsapp-errors.ts";

/** Infobip's status object (`StatusObject` in schemas/common.ts is its schema). */
export interface StatusObject {
  groupId: number;
  groupName: string;
  id: number;
  name: string;
  description: string;
  action?: string;
}

/** `2019-04-09T16:00:58.647+0000` */
export function infobipDate(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

const STATUS: Record<MessageStatus, StatusObject> = {
  accepted: {
    groupId: 1,
    groupName: "PENDING",
    id: 7,
    name: "PENDING_ENROUTE",
    description: "Message sent to next instance",
  },
  sent: {
    groupId: 1,
    groupName: "PENDING",
    id: 3,
    name: "PENDING_WAITING_DELIVERY",
    description: "Message sent, waiting for delivery report",
  },
  delivered: {
    groupId: 3,
    groupName: "DELIVERED",
    id: 5,
    name: "DELIVERED_TO_HANDSET",
    description: "Message delivered to handset",
  },
  seen: {
    groupId: 3,
    groupName: "DELIVERED",
    id: 5,
    name: "DELIVERED_TO_HANDSET",
    description: "Message delivered to handset",
  },
  failed: {
    groupId: 2,
    groupName: "UNDELIVERABLE",
    id: 9,
    name: "UNDELIVERABLE_NOT_DELIVERED",
    description: "Message sent not delivered",
  },
  expired: {
    groupId: 4,
    groupName: "EXPIRED",
    id: 15,
    name: "EXPIRED_EXPIRED",
    description: "Message expired",
  },
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
  groupId: 0,
  groupName: "OK",
  id: 0,
  name: "NO_ERROR",
  description: "No Error",
  permanent: false,
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
