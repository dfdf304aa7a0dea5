/**
 * Infobip's error body (api-reference A.6) and the translation of validation failures into it:
 * `validationErrors` maps each wrong field, in Infobip's dotted path form, to its messages.
 */
import type { FastifyError, FastifyReply } from "fastify";
import type { FieldError } from "../../core/field-error.ts";
import type { Untranslated } from "../kit/translated.ts";
import type { ErrorBody } from "./schemas/common.ts";

const TEXTS: Record<number, [string, string]> = {
  400: ["BAD_REQUEST", "Bad request"],
  401: ["UNAUTHORIZED", "Unauthorized"],
  403: ["FORBIDDEN", "Forbidden"],
  404: ["NOT_FOUND", "Not found"],
  405: ["BAD_REQUEST", "Method not allowed"],
  413: ["BAD_REQUEST", "Request entity too large"],
  415: ["BAD_REQUEST", "Unsupported media type"],
  429: ["TOO_MANY_REQUESTS", "Too many requests"],
  500: ["GENERAL_ERROR", "Something went wrong. Please contact support."],
  501: ["NOT_IMPLEMENTED", "Not implemented"],
};

export function errorBody(
  status: number,
  validationErrors?: Record<string, string[]>,
  text?: string,
): ErrorBody {
  const [messageId, defaultText] = TEXTS[status] ?? (TEXTS[500] as [string, string]);
  return {
    requestError: {
      serviceException: {
        messageId,
        text: text ?? defaultText,
        ...(validationErrors && Object.keys(validationErrors).length > 0 ? { validationErrors } : {}),
      },
    },
  };
}

export function sendError(
  reply: FastifyReply,
  status: number,
  validationErrors?: Record<string, string[]>,
  text?: string,
) {
  return reply
    .code(status)
    .type("application/json")
    .send(errorBody(status, validationErrors, text));
}

/**
 * The newer error body some Infobip endpoints answer with (`ApiError`: the events and flows
 * endpoints): a code like `E400`, and each wrong field as a violation.
 */
export function sendApiError(
  reply: FastifyReply,
  status: number,
  violations: readonly { property: string; violation: string }[],
  /** An endpoint's own code and words (the flows endpoints' `WA-FLOW-ID404`, …). */
  own: { readonly errorCode?: string; readonly description?: string; readonly action?: string } = {},
) {
  const [description, action] =
    status === 400
      ? ["Request cannot be processed.", "Check the syntax, violations and adjust the request."]
      : ["Something went wrong.", "Try again later."];
  return reply
    .code(status)
    .type("application/json")
    .send({
      errorCode: own.errorCode ?? `E${status}`,
      description: own.description ?? description,
      action: own.action ?? action,
      violations,
      resources: [],
    });
}

/** Schema failures as ApiError violations, for endpoints that answer in that body. */
export function ajvToViolations(
  error: Pick<FastifyError, "validation">,
): { property: string; violation: string }[] {
  const out: { property: string; violation: string }[] = [];
  for (const [property, messages] of Object.entries(ajvToValidationErrors(error as FastifyError, undefined)))
    for (const violation of messages) out.push({ property, violation });
  return out;
}

/** A request the face could not translate: every wrong field (400), or what is not built (501). */
export function sendUntranslated(reply: FastifyReply, t: Untranslated) {
  return t.kind === "invalid"
    ? sendError(reply, 400, groupErrors(t.errors))
    : sendError(reply, 501, undefined, `OpenBSP does not support ${t.what} yet`);
}

/** Groups field errors by path, as Infobip's `validationErrors` does. */
export function groupErrors(errors: readonly FieldError[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    out[e.field] = [...(out[e.field] ?? []), e.message];
  }
  return out;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: Record<string, unknown>;
}

/** `/messages/0/content/text` → `messages[0].content.text` */
export function infobipPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split("/").filter(Boolean);
  if (extra) parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
}

/** Words Ajv's findings the way Infobip's (Java bean validation) messages read. */
function describe(e: AjvError): string {
  const s = e.parentSchema ?? {};
  switch (e.keyword) {
    case "required":
      return "must not be null";
    case "minLength":
    case "maxLength":
      return `size must be between ${s.minLength ?? 0} and ${s.maxLength ?? 2147483647}`;
    case "minItems":
    case "maxItems":
      return `size must be between ${s.minItems ?? 0} and ${s.maxItems ?? 2147483647}`;
    case "enum":
      return `must be one of ${(e.params.allowedValues as unknown[]).join(", ")}`;
    case "minimum":
      return `must be greater than or equal to ${e.params.limit}`;
    case "maximum":
      return `must be less than or equal to ${e.params.limit}`;
    case "type":
      return `must be of type ${e.params.type}`;
    default:
      return e.message ?? "is invalid";
  }
}

export function ajvToValidationErrors(
  error: FastifyError,
  context: string | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const raw of (error.validation ?? []) as unknown as AjvError[]) {
    const extra = raw.keyword === "required" ? String(raw.params.missingProperty) : undefined;
    const path = infobipPath(raw.instancePath, extra) || (context ?? "body");
    const list = out[path] ?? [];
    const message = describe(raw);
    if (!list.includes(message)) out[path] = [...list, message];
  }
  return out;
}
