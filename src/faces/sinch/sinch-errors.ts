/**
 * Sinch's error body (api-reference B.1): `{"message", "details"}` plus `reason`, as the YAML's
 * examples show (`{"message":"Validation error","reason":"Field [to] can not be empty."}`). Every
 * wrong field is named in `details`, in Sinch's own field names.
 */
import type { FastifyReply } from "fastify";
import type { FieldError } from "../../core/field-error.ts";
import type { Untranslated } from "../kit/translated.ts";
import type { ErrorBody } from "./schemas/common.ts";

const MESSAGES: Record<number, string> = {
  400: "Validation error",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  413: "Request entity too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Internal server error",
  501: "Not implemented",
};

export function errorBody(status: number, reason?: string, details?: string): ErrorBody {
  return {
    message: MESSAGES[status] ?? (MESSAGES[500] as string),
    ...(reason !== undefined ? { reason } : {}),
    ...(details !== undefined ? { details } : {}),
  };
}

export function sendError(reply: FastifyReply, status: number, reason?: string, details?: string) {
  return reply
    .code(status)
    .type("application/json")
    .send(errorBody(status, reason, details));
}

const sentence = (e: FieldError) => `Field [${e.field}] ${e.message}.`;

/** A 400 naming each wrong field: the first in `reason`, all of them in `details`. */
export function sendFieldErrors(reply: FastifyReply, errors: readonly FieldError[]) {
  const unique = [...new Map(errors.map((e) => [`${e.field}\u0000${e.message}`, e])).values()];
  const first = unique[0] as FieldError;
  return sendError(reply, 400, sentence(first), unique.map(sentence).join(" "));
}

/** A message the face could not translate: every wrong field (400), or what is not built (501). */
export function sendUntranslated(reply: FastifyReply, t: Untranslated) {
  return t.kind === "invalid"
    ? sendFieldErrors(reply, t.errors)
    : sendError(reply, 501, `OpenBSP does not support ${t.what} yet`);
}

/** A JSON Schema finding (Ajv's or TypeBox's, which share the shape). */
export interface SchemaFinding {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/** `/message/contacts/0/name` → `message.contacts[0].name` */
export function dottedPath(prefix: string, instancePath: string): string {
  const parts = [...prefix.split("."), ...instancePath.split("/")].filter(Boolean);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
}

/** Schema findings as field errors, in Sinch's field names; missing fields each get their own. */
export function findingsToErrors(findings: Iterable<SchemaFinding>, prefix = ""): FieldError[] {
  const out: FieldError[] = [];
  for (const f of findings) {
    const missing = f.keyword === "required" ? requiredOf(f) : [];
    if (missing.length > 0) {
      for (const name of missing)
        out.push({ field: dottedPath(prefix, `${f.instancePath}/${name}`), message: "is required" });
      continue;
    }
    out.push({ field: dottedPath(prefix, f.instancePath) || prefix || "body", message: describe(f) });
  }
  return out;
}

function requiredOf(f: SchemaFinding): string[] {
  const p = f.params;
  if (Array.isArray(p.requiredProperties)) return p.requiredProperties.map(String);
  return p.missingProperty !== undefined ? [String(p.missingProperty)] : [];
}

function describe(f: SchemaFinding): string {
  const p = f.params;
  switch (f.keyword) {
    case "minItems":
      return `must hold at least ${p.limit} elements`;
    case "maxItems":
      return `must hold at most ${p.limit} elements`;
    case "enum":
      return `must be one of ${((p.allowedValues ?? p.values) as unknown[] | undefined)?.join(", ") ?? "the allowed values"}`;
    case "const":
      return `must be ${JSON.stringify(p.allowedValue ?? p.value)}`;
    case "pattern":
      return f.instancePath.startsWith("/to") || f.instancePath.startsWith("/numbers")
        ? "must be an MSISDN (digits, optionally with a leading +)"
        : `must match ${p.pattern}`;
    case "type":
      return `must be of type ${p.type}`;
    default:
      return f.message ?? "is invalid";
  }
}
