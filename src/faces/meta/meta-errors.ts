/**
 * Meta's Graph API error object (api-reference C.2): `{"error": {message, type, code, error_data,
 * fbtrace_id}}`, with Meta's codes. The core names the WhatsApp code a rule violation amounts to
 * (FieldError.code); this file only words it the way Meta does.
 */
import { randomBytes } from "node:crypto";
import type { FastifyError, FastifyReply } from "fastify";
import type { FieldError } from "../../core/field-error.ts";
import type { Untranslated } from "../kit/translated.ts";
import type { MetaError } from "./schemas/message-schemas.ts";

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

export function metaError(code: number, details?: string, subcode?: number): MetaError {
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

/** The HTTP status Meta answers a code with. */
function statusOf(code: number): number {
  if (code === 190 || code === 0) return 401;
  if (code === 10 || (code >= 200 && code <= 299)) return 403;
  if (code === 130429 || code === 131056 || code === 4 || code === 80007) return 429;
  if (code === 501) return 501;
  return 400;
}

export function sendMetaError(reply: FastifyReply, code: number, details?: string, subcode?: number, status?: number) {
  return reply.code(status ?? statusOf(code)).type("application/json").send(metaError(code, details, subcode));
}

/** The first rule violation, as Meta reports one error per request; the details name the field. */
export function sendFieldErrors(reply: FastifyReply, errors: readonly FieldError[], path: (field: string) => string) {
  const first = errors[0] as FieldError;
  const details = errors.map((e) => `${path(e.field)}: ${e.message}`).join("; ");
  return sendMetaError(reply, first.code ?? 131009, details);
}

/** A request the face could not translate: its first wrong field, or what is not built (501). */
export function sendUntranslated(reply: FastifyReply, t: Untranslated) {
  return t.kind === "invalid" ? sendFieldErrors(reply, t.errors, (f) => f) : sendMetaError(reply, 3, `OpenBSP does not support ${t.what} yet`, undefined, 501);
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/interactive/action/buttons/0/reply/title` → `interactive.action.buttons[0].reply.title` */
export function metaPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split("/").filter(Boolean);
  if (extra) parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
}

/** Schema failures: a missing field is 131008, a wrong value 131009, as the Cloud API answers. */
export function sendValidationError(reply: FastifyReply, err: FastifyError) {
  const all = (err.validation ?? []) as unknown as AjvError[];
  // Union branches report one error each; the most specific (deepest) path says most.
  const sorted = [...all].sort((a, b) => b.instancePath.length - a.instancePath.length);
  const missing = sorted.find((e) => e.keyword === "required");
  if (missing) {
    const field = metaPath(missing.instancePath, String(missing.params.missingProperty));
    return sendMetaError(reply, 131008, `The parameter ${field} is required.`);
  }
  const first = sorted[0];
  if (!first) return sendMetaError(reply, 100, err.message);
  const field = metaPath(first.instancePath) || "body";
  return sendMetaError(reply, 131009, `Parameter ${field} ${first.message ?? "is not valid"}`);
}
