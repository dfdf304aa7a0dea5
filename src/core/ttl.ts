/**
 * Message time-to-live: a message not delivered by then ends EXPIRED. WhatsApp's defaults are
 * 30 days, and 10 minutes for authentication templates (their codes are useless after that).
 * Authentication and utility templates can carry a custom TTL (Meta's `message_send_ttl_seconds`,
 * set on the template, 1 s steps): authentication 30 s–15 min, utility 30 s–12 h. Marketing
 * templates take one only through Meta's Marketing Messages API (12 h–30 days), not Cloud API.
 */
import { DAY_MS } from "./clock.ts";
import type { FieldError } from "./field-error.ts";
import type { TemplateCategory } from "./template.ts";

export const DEFAULT_TTL_MS = 30 * DAY_MS;
export const AUTHENTICATION_TTL_MS = 10 * 60_000;

/** A template's custom TTL may be set to this to mean "WhatsApp's default" (stored as none). */
export const DEFAULT_TTL_SECONDS = -1;

export const TEMPLATE_TTL_BOUNDS: Readonly<
  Partial<Record<TemplateCategory, { readonly min: number; readonly max: number }>>
> = {
  AUTHENTICATION: { min: 30, max: 900 },
  UTILITY: { min: 30, max: 43_200 },
};

/** A send's TTL: its template's custom TTL if it has one, else WhatsApp's default for the category. */
export function ttlFor(category: TemplateCategory | undefined, templateTtlSeconds?: number): number {
  if (templateTtlSeconds !== undefined) return templateTtlSeconds * 1000;
  return category === "AUTHENTICATION" ? AUTHENTICATION_TTL_MS : DEFAULT_TTL_MS;
}

/** A template's custom TTL against its category's bounds; the error names the core's field `ttlSeconds`. */
export function checkTemplateTtl(category: TemplateCategory, ttlSeconds: number | undefined): FieldError[] {
  if (ttlSeconds === undefined) return [];
  const bounds = TEMPLATE_TTL_BOUNDS[category];
  if (!bounds)
    return [
      {
        field: "ttlSeconds",
        message: `a custom time-to-live is for AUTHENTICATION and UTILITY templates, not ${category}`,
      },
    ];
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < bounds.min || ttlSeconds > bounds.max)
    return [
      {
        field: "ttlSeconds",
        message: `must be from ${bounds.min} to ${bounds.max} seconds for ${category} templates (or -1 for WhatsApp's default)`,
      },
    ];
  return [];
}
