/**
 * Meta's subscription handshake (api-reference C.3): before sending events, Meta GETs the callback
 * URL with `hub.mode=subscribe`, the verify token and a challenge, and expects the challenge back.
 * OpenBSP does the same against the account's configured URL at start, so a receiver that would
 * fail with Meta fails here too, loudly.
 */
import { randomInt } from "node:crypto";
import { request } from "undici";

/** The receiver to verify: its callback URL and the verify token it expects. */
export interface SubscriptionTarget {
  readonly webhookUrl?: string;
  readonly verifyToken?: string;
}

export type HandshakeResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export async function verifySubscription(
  settings: SubscriptionTarget,
  timeoutMs: number,
): Promise<HandshakeResult> {
  if (!settings.webhookUrl || settings.verifyToken === undefined)
    return { ok: false, reason: "no callback URL or verify token" };
  const challenge = String(randomInt(1, 2 ** 31 - 1));
  const url = new URL(settings.webhookUrl);
  url.searchParams.set("hub.mode", "subscribe");
  url.searchParams.set("hub.verify_token", settings.verifyToken);
  url.searchParams.set("hub.challenge", challenge);
  try {
    const res = await request(url, { method: "GET", signal: AbortSignal.timeout(timeoutMs) });
    const text = (await res.body.text()).trim();
    if (res.statusCode !== 200) return { ok: false, reason: `the callback answered HTTP ${res.statusCode}` };
    if (text !== challenge) return { ok: false, reason: "the callback did not echo hub.challenge" };
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `the callback could not be reached: ${(err as Error).message}` };
  }
}
