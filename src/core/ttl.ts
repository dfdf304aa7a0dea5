/**
 * Message time-to-live: a message not delivered by then ends EXPIRED. WhatsApp's defaults are
 * 30 days, and 10 minutes for authentication templates (their codes are useless after that).
 */
import { DAY_MS } from "./clock.ts";
import type { TemplateCategory } from "./template.ts";

export const DEFAULT_TTL_MS = 30 * DAY_MS;
export const AUTHENTICATION_TTL_MS = 10 * 60_000;

export function ttlFor(category: TemplateCategory | undefined): number {
  return category === "AUTHENTICATION" ? AUTHENTICATION_TTL_MS : DEFAULT_TTL_MS;
}
