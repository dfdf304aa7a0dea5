/**
 * Graph API's error object (api-reference C.2): `{"error": {message, type, code, error_subcode,
 * error_data, fbtrace_id}}`, with Meta's codes and their titles. The Meta face answers with it; a
 * carrier sending through Meta's Cloud API reads the same shape back.
 */
import { randomBytes } from "node:crypto";
import { knownError, WA } from "../core/whatsapp-errors.ts";

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

/** Meta's title of a code, from the catalogue; a code it does not know (a carrier's) gets Meta's generic one. */
export function metaTitle(code: number): string {
  return knownError(code)?.title ?? WA.unknown.title;
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
