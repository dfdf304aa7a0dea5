/**
 * Recipient numbers, read once by one function for every dialect: `+`, spaces, hyphens, dots and
 * parentheses are decoration. Infobip and Sinch write numbers in international form (`+`
 * optional) and leave a number WhatsApp does not know to fail on delivery (131026). The Cloud API
 * takes a number written without `+` as national, giving it the business number's country calling
 * code (Meta's documented rule) unless it already starts with it, and refuses at once a number
 * outside 7 to 15 digits.
 */

declare const recipientBrand: unique symbol;

/**
 * A WhatsApp user's number as the core keeps it: the digits of its international form, without
 * `+` (Meta's wa_id). Only `normaliseRecipient` makes one (and a store reading back what it stored),
 * so every face's `to` means the same.
 */
export type Recipient = string & { readonly [recipientBrand]: true };

/** ITU-T E.164 calling codes of one and two digits; every other code has three. */
const SHORT_CODES = new Set([
  "1",
  "7",
  "20",
  "27",
  "30",
  "31",
  "32",
  "33",
  "34",
  "36",
  "39",
  "40",
  "41",
  "43",
  "44",
  "45",
  "46",
  "47",
  "48",
  "49",
  "51",
  "52",
  "53",
  "54",
  "55",
  "56",
  "57",
  "58",
  "60",
  "61",
  "62",
  "63",
  "64",
  "65",
  "66",
  "81",
  "82",
  "84",
  "86",
  "90",
  "91",
  "92",
  "93",
  "94",
  "95",
  "98",
]);

/** The country calling code at the start of an international number (digits only). */
export function callingCode(international: string): string {
  for (const n of [1, 2]) {
    const prefix = international.slice(0, n);
    if (SHORT_CODES.has(prefix)) return prefix;
  }
  return international.slice(0, 3);
}

export type RecipientReading =
  | { readonly ok: true; readonly waId: Recipient }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads `input` as a recipient. With `nationalTo` (the business number: Meta's reading) a number
 * without `+` is national to that number's country and must have 7 to 15 digits; without it
 * (Infobip, Sinch) every number is international.
 */
export function normaliseRecipient(input: string, nationalTo?: string): RecipientReading {
  const trimmed = input.trim();
  if (!/^\+?[\d\s\-().]+$/.test(trimmed)) return { ok: false, reason: "must be a phone number" };
  const digits = trimmed.replace(/\D/g, "");
  if (nationalTo === undefined)
    return digits === ""
      ? { ok: false, reason: "must be a phone number" }
      : { ok: true, waId: digits as Recipient };
  const code = callingCode(nationalTo);
  const waId =
    trimmed.startsWith("+") || digits.startsWith(code) ? digits : `${code}${digits.replace(/^0+/, "")}`;
  if (waId.length < 7 || waId.length > 15)
    return { ok: false, reason: "must have 7 to 15 digits with its country code" };
  return { ok: true, waId: waId as Recipient };
}
