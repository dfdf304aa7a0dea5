/** The records as the admin API shows them: no secret (key, app secret, verify token) ever appears. */
import type { Account, Sender } from "../core/account.ts";
import type { ApiKey } from "../core/api-key.ts";
import { metaAppIdOf } from "../faces/meta/meta-settings.ts";

const iso = (ms: number) => new Date(ms).toISOString();

export const accountView = (a: Account) => ({
  id: a.id,
  name: a.name,
  businessVerified: a.businessVerified,
  metaAppId: metaAppIdOf(a),
});

export const apiKeyView = (k: ApiKey) => ({
  id: k.id,
  ...(k.name !== undefined ? { name: k.name } : {}),
  hint: k.hint,
  createdAt: iso(k.createdAt),
  ...(k.revokedAt !== undefined ? { revokedAt: iso(k.revokedAt) } : {}),
});

export const senderView = (s: Sender) => ({
  number: s.number,
  wabaId: s.wabaId,
  ...(s.aliases.metaPhoneNumberId ? { metaPhoneNumberId: s.aliases.metaPhoneNumberId } : {}),
  ...(s.aliases.sinchBotId ? { sinchBotId: s.aliases.sinchBotId } : {}),
  ...(s.throughputMps !== undefined ? { throughputMps: s.throughputMps } : {}),
  ...s.settings,
});

/** Settings whose value is a credential: shown as set, never read back. */
const SECRET = /secret|token|password/i;

export function settingsView(a: Account): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [dialect, settings] of Object.entries(a.settings ?? {}))
    out[dialect] = Object.fromEntries(
      Object.entries(settings).map(([k, v]) => [k, SECRET.test(k) ? "<redacted>" : v]),
    );
  return out;
}
