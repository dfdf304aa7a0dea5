/**
 * `X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the exact body bytes under the app
 * secret. The Meta face signs what it posts; a receiver of Meta's webhooks checks it the same way.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-hub-signature-256";

export function signature(appSecret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

/** Whether `header` signs `body` under `appSecret` (in constant time). */
export function hasValidSignature(
  appSecret: string,
  body: string | Buffer,
  header: string | undefined,
): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signature(appSecret, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
