/**
 * WhatsApp's rules for address messages (Meta's "Address Messages"): the form exists for India
 * (`IN`) and Singapore (`SG`), each with its own fields; a pin code (India) is at most 6
 * characters, a post code (Singapore) at most 6 digits, a phone number a valid number of the
 * form's country; the recipient must be a number of that country too. Prefilled values, saved
 * addresses (each an `id` and its `value`) and validation errors may only name the country's
 * fields. Meta documents no other limit on a field's value. Field paths are relative to the content.
 */
import type { FieldError } from "./field-error.ts";
import type { AddressCountry, AddressMessageContent, AddressValues } from "./interactive-content.ts";
import { callingCode, normaliseRecipient } from "./phone-number.ts";
import { textLength } from "./text-length.ts";

interface AddressForm {
  readonly name: string;
  readonly callingCode: string;
  readonly fields: readonly string[];
  /** What OpenBSP's simulated form will not submit without (the postal code, who and where). */
  readonly required: readonly string[];
}

export const ADDRESS_FORMS: Readonly<Record<AddressCountry, AddressForm>> = {
  IN: {
    name: "India",
    callingCode: "91",
    fields: [
      "name",
      "phone_number",
      "in_pin_code",
      "house_number",
      "floor_number",
      "tower_number",
      "building_name",
      "address",
      "landmark_area",
      "city",
      "state",
    ],
    required: ["name", "phone_number", "in_pin_code", "address", "city"],
  },
  SG: {
    name: "Singapore",
    callingCode: "65",
    fields: ["name", "phone_number", "sg_post_code", "address", "unit_number", "city"],
    required: ["name", "phone_number", "sg_post_code", "address"],
  },
};

export function isAddressCountry(country: string): country is AddressCountry {
  return Object.hasOwn(ADDRESS_FORMS, country);
}

/** The value checks of one address's fields (prefilled, saved, or what the user entered), under `at`. */
export function checkAddressValues(country: AddressCountry, values: AddressValues, at: string): FieldError[] {
  const form = ADDRESS_FORMS[country];
  const errors: FieldError[] = [];
  for (const [field, value] of Object.entries(values)) {
    const path = `${at}.${field}`;
    if (!form.fields.includes(field)) {
      errors.push({
        field: path,
        message: `is not a field of the ${form.name} address form (${form.fields.join(", ")})`,
      });
    } else if (field === "in_pin_code" && textLength(value) > 6) {
      errors.push({ field: path, message: "size must be between 0 and 6" });
    } else if (field === "sg_post_code" && !/^[0-9]{0,6}$/.test(value)) {
      errors.push({ field: path, message: "must be a number of at most 6 digits" });
    } else if (field === "phone_number" && value !== "") {
      const number = normaliseRecipient(value);
      if (!number.ok || callingCode(number.waId) !== form.callingCode) {
        errors.push({
          field: path,
          message: `must be a valid phone number of ${form.name} (+${form.callingCode})`,
        });
      }
    }
  }
  return errors;
}

/** An address message's own rules (the body, header and footer are checked like every interactive message). */
export function checkAddressMessage(content: AddressMessageContent): FieldError[] {
  const country = content.country;
  if (!isAddressCountry(country)) {
    return [
      {
        field: "action.country",
        message: `must be one of ${Object.keys(ADDRESS_FORMS).join(", ")}: address messages exist only there`,
      },
    ];
  }
  const form = ADDRESS_FORMS[country];
  const errors: FieldError[] = [];
  if (content.values) errors.push(...checkAddressValues(country, content.values, "action.values"));
  const ids = new Set<string>();
  content.savedAddresses?.forEach((a, i) => {
    const at = `action.savedAddresses[${i}]`;
    if (a.id.trim() === "") errors.push({ field: `${at}.id`, message: "must not be blank" });
    else if (ids.has(a.id)) errors.push({ field: `${at}.id`, message: "must be unique" });
    ids.add(a.id);
    errors.push(...checkAddressValues(country, a.value, `${at}.value`));
  });
  for (const [field, message] of Object.entries(content.validationErrors ?? {})) {
    const path = `action.validationErrors.${field}`;
    if (!form.fields.includes(field))
      errors.push({
        field: path,
        message: `is not a field of the ${form.name} address form (${form.fields.join(", ")})`,
      });
    else if (message.trim() === "") errors.push({ field: path, message: "must not be blank" });
  }
  return errors;
}

/** A business cannot ask a number of another country for an address (e.g. an India form to +65). */
export function checkAddressRecipient(content: AddressMessageContent, to: string): FieldError[] {
  if (!isAddressCountry(content.country)) return [];
  const form = ADDRESS_FORMS[content.country];
  return callingCode(to) === form.callingCode
    ? []
    : [
        {
          field: "action.country",
          message: `is ${content.country}, but the recipient ${to} is not a number of ${form.name} (+${form.callingCode})`,
        },
      ];
}
