/**
 * Standard Webhooks signatures (standardwebhooks.com): `webhook-signature: v1,<base64 HMAC-SHA256
 * of "id.timestamp.body">`, keyed with the base64 part of a `whsec_` secret; several space-separated
 * while a rotated-out secret is still honoured, so a receiver verifies with either.
 */
import { createHmac } from "node:crypto";

const PREFIX = "whsec_";

export function standardSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: string,
  body: string,
): string {
  return secrets.map((s) => standardSignature(s, id, timestamp, body)).join(" ");
}
