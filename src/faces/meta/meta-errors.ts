/**
 * Meta's Graph API error object (api-reference C.2): `{"error": {message, type, code, error_data,
 * fbtrace_id}}`, with Meta's codes. The core names the WhatsApp code a rule violation amounts to
 * (FieldError.code); this file only words it the way Meta does.
 */
import { randomBytes } from "node:crypto";
import type { FastifyError, FastifyReply } from "fastify";
import type { FieldError } from "../../core/field-error.ts";
import { type KnownErrorCode, knownError, WA } from "../../core/whatsapp-errors.ts";
import type { MetaError } from "./schemas/message-schemas.ts";

/** Meta's title of a code, from the catalogue; a code it does not know (a carrier's) gets Meta's generic one. */
export function metaTitle(code: number): string {
  return knownError(code)?.title ?? WA.unknown.title;
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

const RATE_LIMITED: ReadonlySet<number> = new Set([
  WA.throughputReached.code, WA.pairRateLimited.code, WA.apiTooManyCalls.code, WA.accountRateLimited.code,
]);

/** The HTTP status Meta answers a code with. */
function statusOf(code: number): number {
  if (code === WA.accessTokenInvalid.code || code === WA.authException.code) return 401;
  // 200-299: Graph's permission codes.
  if (code === WA.permissionDenied.code || (code >= 200 && code <= 299)) return 403;
  if (RATE_LIMITED.has(code)) return 429;
  if (code === 501) return 501;
  return 400;
}

export function sendMetaError(reply: FastifyReply, code: KnownErrorCode, details?: string, subcode?: number, status?: number) {
  return reply.code(status ?? statusOf(code)).type("application/json").send(metaError(code, details, subcode));
}

/** The first rule violation, as Meta reports one error per request; the details name the field. */
export function sendFieldErrors(reply: FastifyReply, errors: readonly FieldError[], path: (field: string) => string) {
  const first = errors[0] as FieldError;
  const details = errors.map((e) => `${path(e.field)}: ${e.message}`).join("; ");
  return sendMetaError(reply, first.code ?? WA.parameterValueInvalid.code, details);
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
    return sendMetaError(reply, WA.requiredParameterMissing.code, `The parameter ${field} is required.`);
  }
  const first = sorted[0];
  if (!first) return sendMetaError(reply, WA.invalidParameter.code, err.message);
  const field = metaPath(first.instancePath) || "body";
  return sendMetaError(reply, WA.parameterValueInvalid.code, `Parameter ${field} ${first.message ?? "is not valid"}`);
}
