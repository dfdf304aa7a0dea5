/**
 * The one catalogue of the error codes OpenBSP speaks, in Meta's numbering: WhatsApp's own
 * (13xxxx) and the Graph API's that the Cloud API answers with (0-190, 2200, 2500, 80007). Each code
 * appears here once, with Meta's title and details, under a name that says what it is; every use
 * refers to an entry. Faces map entries to their own dialect (Infobip error ids, Sinch states, Meta
 * error objects). An entry whose details reach the wire (a report, a 429) keeps the exact wording
 * reports have always carried.
 */

/** WhatsApp's own error, in Meta's numbering (e.g. 131047 = outside the customer-service window). */
export interface WhatsAppError {
  readonly code: number;
  readonly title: string;
  readonly details?: string;
}

export const WA = {
  // Graph API: authorization, permissions, requests.
  authException: { code: 0, title: "AuthException", details: "The access token could not be validated." },
  /** Graph's "unknown error"; OpenBSP answers it for a failure of its own (HTTP 500). */
  unknownApiError: {
    code: 1,
    title: "Something went wrong",
    details: "Invalid request or possible server error.",
  },
  capabilityMissing: {
    code: 3,
    title: "Capability or permissions issue",
    details: "The app lacks the capability or permission the call needs (or the call is not built).",
  },
  apiTooManyCalls: {
    code: 4,
    title: "API Too Many Calls",
    details: "The app has reached its API call rate limit.",
  },
  permissionDenied: {
    code: 10,
    title: "Permission denied",
    details: "Permission is either not granted or has been removed.",
  },
  invalidParameter: {
    code: 100,
    title: "Invalid parameter",
    details: "The request included one or more unsupported or misspelled parameters.",
  },
  accessTokenInvalid: {
    code: 190,
    title: "Invalid OAuth access token - Cannot parse access token",
    details: "The access token has expired, been invalidated or cannot be parsed.",
  },
  /** A webhook callback did not pass the hub.challenge handshake (Graph's app and WABA subscriptions). */
  callbackVerificationFailed: {
    code: 2200,
    title: "Callback verification failed with the following errors",
    details: "The callback URL did not answer the hub.challenge verification request with the challenge.",
  },
  unknownPathComponents: {
    code: 2500,
    title: "Unknown path components",
    details: "The path of the call is not a known Graph API path.",
  },
  accountRateLimited: {
    code: 80007,
    title: "Rate limit issues",
    details: "The WhatsApp Business Account has reached its rate limit.",
  },

  // WhatsApp: throughput and rate limits.
  throughputReached: {
    code: 130429,
    title: "Rate limit hit",
    details:
      "Cloud API message throughput has been reached: the sender number sent more messages per second than its throughput level allows.",
  },
  pairRateLimited: {
    code: 131056,
    title: "(Business Account, Consumer Account) pair rate limit hit",
    details:
      "Too many messages were sent from this sender number to the same recipient in a short period. Wait and retry; other recipients are not affected.",
  },
  spamRateLimited: {
    code: 131048,
    title: "Spam rate limit hit",
    details:
      "Message failed to send because there are restrictions on how many messages can be sent from this phone number.",
  },

  // WhatsApp: the request and the message.
  unknown: {
    code: 131000,
    title: "Something went wrong",
    details: "Message failed to send due to an unknown error.",
  },
  requiredParameterMissing: {
    code: 131008,
    title: "Required parameter is missing",
    details: "The request is missing a required parameter.",
  },
  parameterValueInvalid: {
    code: 131009,
    title: "Parameter value is not valid",
    details: "One or more parameter values are invalid.",
  },
  notWhatsAppUser: {
    code: 131026,
    title: "Message undeliverable",
    details: "The recipient is not a WhatsApp user.",
  },
  accountLocked: {
    code: 131031,
    title: "Business Account locked",
    details: "The WhatsApp Business Account associated with the app has been restricted or disabled.",
  },
  windowClosed: {
    code: 131047,
    title: "Re-engagement message",
    details: "More than 24 hours have passed since the recipient last replied to the sender number.",
  },
  /** OpenBSP reports a message whose time-to-live ran out under this code. */
  messageExpired: {
    code: 131049,
    title: "Message expired",
    details: "The message was not delivered before its time-to-live elapsed",
  },
  marketingOptedOut: {
    code: 131050,
    title: "User has stopped marketing messages",
    details: "The recipient has chosen to stop receiving marketing messages from the business.",
  },
  unsupportedMessageType: {
    code: 131051,
    title: "Unsupported message type",
    details: "The message type is not supported.",
  },
  mediaDownloadError: {
    code: 131052,
    title: "Media download error",
    details: "Unable to download the media sent by the user.",
  },
  mediaUploadError: {
    code: 131053,
    title: "Media upload error",
    details: "Unable to upload the media used in the message.",
  },

  // WhatsApp: templates.
  templateParamCountMismatch: {
    code: 132000,
    title: "Number of parameters does not match the expected number of params",
    details:
      "The number of variable parameter values in the request does not match the number of parameters the template defines.",
  },
  templateNotFound: {
    code: 132001,
    title: "Template name does not exist in the translation",
    details: "The template does not exist in the specified language or has not been approved.",
  },
  templateTextTooLong: {
    code: 132005,
    title: "Translated text too long",
    details: "The translated text is too long.",
  },
  templateFormatPolicyViolated: {
    code: 132007,
    title: "Format character policy violated",
    details: "The template content violates a WhatsApp policy.",
  },
  templateParamFormatMismatch: {
    code: 132012,
    title: "Parameter format does not match format in the created template",
    details: "Variable parameter values are formatted differently from the template's registration.",
  },
  templatePaused: {
    code: 132015,
    title: "Template is Paused",
    details: "The template is paused due to low quality, so it cannot be sent.",
  },
  templateDisabled: {
    code: 132016,
    title: "Template is Disabled",
    details:
      "The template has been paused too many times due to low quality and is now permanently disabled.",
  },
  // WhatsApp Flows management (Meta's Flows error codes; the faces pick them for each refusal).
  flowJsonError: {
    code: 139001,
    title: "Error while processing Flow JSON",
    details: "The flow cannot be changed: only a DRAFT flow can be updated.",
  },
  flowPublishFailed: {
    code: 139002,
    title: "Publishing failed",
    details: "The flow cannot be published: it is not a DRAFT, or its flow JSON has validation errors.",
  },
  flowDeprecateFailed: {
    code: 139003,
    title: "Deprecation failed",
    details: "Only a PUBLISHED flow can be deprecated.",
  },
  flowDeleteFailed: {
    code: 139004,
    title: "Deleting failed",
    details: "Only a DRAFT flow can be deleted.",
  },
} as const satisfies Record<string, WhatsAppError>;

/** One entry of the catalogue. */
export type KnownError = (typeof WA)[keyof typeof WA];

/** A code the catalogue knows; the core names a violation's code only by these. */
export type KnownErrorCode = KnownError["code"];

const BY_CODE: ReadonlyMap<number, KnownError> = new Map(Object.values(WA).map((e) => [e.code, e]));

/** The catalogue's entry for `code` (a carrier's or a rule's), or undefined for a code it does not know. */
export function knownError(code: number): KnownError | undefined {
  return BY_CODE.get(code);
}
