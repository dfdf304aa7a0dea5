/**
 * WhatsApp's rules for free-form content, whatever dialect it came in: links to media must be
 * absolute http(s) URLs, coordinates must exist on Earth, contact cards need a name, dates are
 * calendar dates. Field paths are relative to the content.
 */

import { checkAddressRecipient } from "./address-message-rules.ts";
import type { FieldError } from "./field-error.ts";
import { isHttpUrl } from "./http-url.ts";
import { checkInteractive } from "./interactive-rules.ts";
import type { MessageContent } from "./message.ts";
import { textLength } from "./text-length.ts";

const BIRTHDAY = /^\d{4}-\d{2}-\d{2}$/;

export const CONTENT_LIMITS = {
  text: 4096,
  caption: 3000,
  filename: 240,
  locationText: 1000,
  url: 2048,
} as const;

/** `to`, the recipient's number, when known: some content is only for numbers of one country. */
export function checkContent(content: MessageContent, to?: string): FieldError[] {
  const errors: FieldError[] = [];
  const tooLong = (field: string, value: string | undefined, max: number) => {
    if (value !== undefined && textLength(value) > max)
      errors.push({ field, message: `size must be between 0 and ${max}` });
  };
  switch (content.type) {
    case "text":
      if (content.text.trim().length === 0) errors.push({ field: "text", message: "must not be blank" });
      tooLong("text", content.text, CONTENT_LIMITS.text);
      break;
    case "template":
      break; // checked against the registered template (template-send-rules.ts)
    case "interactive_buttons":
    case "interactive_list":
    case "interactive_location_request":
    case "interactive_url_button":
    case "interactive_product":
    case "interactive_multi_product":
    case "interactive_flow":
    case "interactive_order_details":
    case "interactive_order_status":
      errors.push(...checkInteractive(content));
      break;
    case "interactive_address":
      errors.push(...checkInteractive(content));
      if (to !== undefined) errors.push(...checkAddressRecipient(content, to));
      break;
    case "document":
    case "image":
    case "audio":
    case "video":
    case "sticker":
      if (!isHttpUrl(content.mediaUrl)) {
        errors.push({ field: "mediaUrl", message: "is not a valid url (an absolute http or https link)" });
      }
      tooLong("caption", content.caption, CONTENT_LIMITS.caption);
      tooLong("filename", content.filename, CONTENT_LIMITS.filename);
      break;
    case "location":
      if (!(content.latitude >= -90 && content.latitude <= 90)) {
        errors.push({ field: "latitude", message: "must be between -90 and 90" });
      }
      if (!(content.longitude >= -180 && content.longitude <= 180)) {
        errors.push({ field: "longitude", message: "must be between -180 and 180" });
      }
      tooLong("name", content.name, CONTENT_LIMITS.locationText);
      tooLong("address", content.address, CONTENT_LIMITS.locationText);
      break;
    case "reaction":
      if (content.messageId.trim().length === 0)
        errors.push({ field: "messageId", message: "must not be blank" });
      // One emoji, which may be several code points (skin tones, joiners); empty removes the reaction.
      if (textLength(content.emoji) > 10 || /[\p{L}\p{N}\s]/u.test(content.emoji)) {
        errors.push({ field: "emoji", message: "must be a single emoji, or empty to remove the reaction" });
      }
      break;
    case "contact":
      if (content.contacts.length === 0)
        errors.push({ field: "contacts", message: "must hold at least one contact" });
      content.contacts.forEach((c, i) => {
        if (!c.name.formattedName.trim())
          errors.push({ field: `contacts[${i}].name.formattedName`, message: "must not be blank" });
        const n = c.name;
        if (n.firstName !== undefined && !n.firstName.trim())
          errors.push({ field: `contacts[${i}].name.firstName`, message: "must not be blank" });
        else if (
          ![n.firstName, n.lastName, n.middleName, n.nameSuffix, n.namePrefix].some((part) => part?.trim())
        ) {
          errors.push({
            field: `contacts[${i}].name`,
            message:
              "needs a first name, last name, middle name, suffix or prefix besides the formatted name",
          });
        }
        if (
          c.birthday !== undefined &&
          (!BIRTHDAY.test(c.birthday) || Number.isNaN(Date.parse(c.birthday)))
        ) {
          errors.push({ field: `contacts[${i}].birthday`, message: "must be a date in the form YYYY-MM-DD" });
        }
      });
      break;
  }
  return errors;
}
