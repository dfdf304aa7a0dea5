/** Helpers for tests of the Meta Cloud API face: its ids, a Bearer call, and Meta webhook reading. */
import { createHmac } from "node:crypto";
import { API_KEY, type ApiAnswer, request } from "./harness.ts";
import type { Received, WebhookReceiver } from "./webhook-receiver.ts";

export const PHONE_ID = "100000000000003";
export const WABA_ID = "100000000000001";
export const APP_SECRET = "test-app-secret-0001";

export function metaCall(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token = API_KEY,
): Promise<ApiAnswer> {
  return request(base, method, path, body, { authorization: `Bearer ${token}` });
}

// biome-ignore lint/suspicious/noExplicitAny: webhook values are asserted on field by field
export type Value = any;

/** Every `value` of every change POSTed to `path`, with the field it came under. */
export function metaValues(hooks: WebhookReceiver, path: string, field = "messages"): Value[] {
  return hooks
    .on(path)
    .flatMap((r) => r.body?.entry ?? [])
    .flatMap((e: Value) => e.changes ?? [])
    .filter((c: Value) => c.field === field)
    .map((c: Value) => c.value);
}

export function metaStatuses(hooks: WebhookReceiver, path: string): Value[] {
  return metaValues(hooks, path).flatMap((v) => v.statuses ?? []);
}

export function signatureOk(r: Received, secret = APP_SECRET): boolean {
  const expected = `sha256=${createHmac("sha256", secret).update(r.raw).digest("hex")}`;
  return r.headers["x-hub-signature-256"] === expected;
}
