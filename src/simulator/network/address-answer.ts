/**
 * The simulated user fills in the address form of an address message the phone received, or picks
 * one of its saved addresses: the answer is the flow reply WhatsApp sends for it (an `nfm_reply`
 * named `address_message`, Meta's "Receive Notifications for Address Submissions"), its
 * `response_json` `{saved_address_id?, values}` and its body the address as the chat shows it.
 * Like WhatsApp's form it refuses a value wrong for the country, a missing required field, and a
 * field the business flagged in `validation_errors` left as it was.
 */
import { ADDRESS_FORMS, checkAddressValues, isAddressCountry } from "../../core/address-message-rules.ts";
import type { InboundContent } from "../../core/inbound.ts";
import type { AddressMessageContent, AddressValues } from "../../core/interactive-content.ts";

export interface AddressAnswer {
  /** What the user typed (or changed in the saved address they picked), by field name. */
  readonly address?: AddressValues;
  /** The id of one of the message's saved addresses. */
  readonly savedAddressId?: string;
}

export type AnswerResult =
  | { readonly ok: true; readonly content: InboundContent }
  | { readonly ok: false; readonly error: string };

/** The order the chat shows an address's parts in, after the name and the phone number. */
const SHOWN = [
  "in_pin_code",
  "sg_post_code",
  "landmark_area",
  "house_number",
  "unit_number",
  "floor_number",
  "tower_number",
  "building_name",
  "address",
  "city",
  "state",
];

export function answerAddress(message: AddressMessageContent, answer: AddressAnswer): AnswerResult {
  const country = message.country;
  if (!isAddressCountry(country))
    return { ok: false, error: `the message asks for an address in ${country}, which has no address form` };
  const form = ADDRESS_FORMS[country];
  const saved =
    answer.savedAddressId === undefined
      ? undefined
      : message.savedAddresses?.find((a) => a.id === answer.savedAddressId);
  if (answer.savedAddressId !== undefined && !saved) {
    return { ok: false, error: `savedAddressId: the message has no saved address ${answer.savedAddressId}` };
  }
  const values: AddressValues = { ...saved?.value, ...answer.address };
  const wrong = checkAddressValues(country, values, "address")[0];
  if (wrong) return { ok: false, error: `${wrong.field}: ${wrong.message}` };
  const absent = form.required.find((f) => !values[f]?.trim());
  if (absent) return { ok: false, error: `address.${absent}: is required by the ${form.name} address form` };
  for (const [field, complaint] of Object.entries(message.validationErrors ?? {})) {
    if (values[field] !== undefined && values[field] === message.values?.[field]) {
      return {
        ok: false,
        error: `address.${field}: the business flagged it ("${complaint}"): the form is not sent until it changes`,
      };
    }
  }
  const rest = SHOWN.map((f) => values[f]?.trim()).filter((v): v is string => Boolean(v));
  return {
    ok: true,
    content: {
      type: "flow_reply",
      name: "address_message",
      body: [values.name, values.phone_number, rest.join(", ")].filter(Boolean).join("\n"),
      responseJson: JSON.stringify({ ...(saved ? { saved_address_id: saved.id } : {}), values }),
    },
  };
}
