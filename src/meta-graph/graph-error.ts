/**
 * Graph API's error object (api-reference C.2): `{"error": {message, type, code, error_subcode,
 * error_data, fbtrace_id}}`, with Meta's codes and their titles. The Meta face answers with it; a
 * carrier sending through Meta's Cloud API reads the same shape back.
 */
import { randomBytes } from "node:crypto";

/** The error object; `MetaError` in message-schemas.ts is its schema, for the OpenAPI document. */
export interface GraphError {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly code: number;
    readonly error_subcode?: number;
    readonly error_data?: { readonly messaging_product: string; readonly details: string };
    readonly fbtrace_id: string;
  };
}

/** Meta's own title of each code OpenBSP answers with. */
const TITLES: Record<number, string> = {
  0: "AuthException",
  3: "Capability or permissions issue",
  10: "Permission denied",
  100: "Invalid parameter",
  190: "Invalid OAuth access token - Cannot parse access token",
  2500: "Unknown path components",
  131008: "Required parameter is missing",
  131009: "Parameter value is not valid",
  131026: "Message undeliverable",
  131047: "Re-engagement message",
  131051: "Unsupported message type",
  131053: "Media upload error",
  130429: "Rate limit hit",
  131056: "(Business Account, Consumer Account) pair rate limit hit",
  132000: "Number of parameters does not match the expected number of params",
  132001: "Template name does not exist in the translation",
  132005: "Translated text too long",
  132007: "Format character policy violated",
  132012: "Parameter format does not match format in the created template",
  132015: "Template is Paused",
  132016: "Template is Disabled",
};

export function metaTitle(code: number): string {
  return TITLES[code] ?? "Something went wrong";
}

export function metaError(code: number, details?: string, subcode?: number): GraphError {
  return {
    error: {
      message: `(#${code}) ${metaTitle(code)}`,
      // Graph API names nearly every error so, WhatsApp's included.
      type: "OAuthException",
      code,
      ...(subcode !== undefined ? { error_subcode: subcode } : {}),
      ...(details !== undefined ? { error_data: { messaging_product: "whatsapp", details } } : {}),
      fbtrace_id: randomBytes(12).toString("base64url"),
    },
  };
}
