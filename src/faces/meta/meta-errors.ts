/**
 * The Meta face's error answers: Graph's error object (`meta-graph/graph-error.ts`) with the HTTP
 * status Meta gives each code. The core names the WhatsApp code a rule violation amounts to
 * (FieldError.code); this file only words it the way Meta does.
 */
import type { FastifyError, FastifyReply } from "fastify";
import type { FieldError } from "../../core/field-error.ts";
import { type KnownErrorCode, WA } from "../../core/whatsapp-errors.ts";
import { metaError } from "../../meta-graph/graph-error.ts";
import type { Untranslated } from "../kit/translated.ts";

const RATE_LIMITED: ReadonlySet<number> = new Set([
  WA.throughputReached.code,
  WA.pairRateLimited.code,
  WA.apiTooManyCalls.code,
  WA.accountRateLimited.code,
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

export function sendMetaError(
  reply: FastifyReply,
  code: KnownErrorCode,
  details?: string,
  subcode?: number,
  status?: number,
) {
  return reply
    .code(status ?? statusOf(code))
    .type("application/json")
    .send(metaError(code, details, subcode));
}

/** The first rule violation, as Meta reports one error per request; the details name the field. */
export function sendFieldErrors(
  reply: FastifyReply,
  errors: readonly FieldError[],
  path: (field: string) => string,
) {
  const first = errors[0] as FieldError;
  const details = errors.map((e) => `${path(e.field)}: ${e.message}`).join("; ");
  return sendMetaError(reply, first.code ?? WA.parameterValueInvalid.code, details);
}

/** A request the face could not translate: its first wrong field, or what is not built (501). */
export function sendUntranslated(reply: FastifyReply, t: Untranslated) {
  return t.kind === "invalid"
    ? sendFieldErrors(reply, t.errors, (f) => f)
    : sendMetaError(
        reply,
        WA.capabilityMissing.code,
        `OpenBSP does not support ${t.what} yet`,
        undefined,
        501,
      );
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
  return sendMetaError(
    reply,
    WA.parameterValueInvalid.code,
    `Parameter ${field} ${first.message ?? "is not valid"}`,
  );
}
