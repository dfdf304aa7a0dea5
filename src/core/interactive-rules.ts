/**
 * WhatsApp's limits on interactive messages: body 1..1024, footer and text header up to 60; 1..3
 * reply buttons with unique ids (≤256) and titles (≤20); lists of 1..10 sections with at most 10
 * rows in all, unique row ids (≤200), row titles ≤24, descriptions ≤72, section titles ≤24 and
 * required when there is more than one section, and a button label ≤20; call-to-action labels
 * ≤20; multi-product messages hold 1..10 sections and at most 30 products. Order messages:
 * order-rules.ts; address messages: address-message-rules.ts.
 */

import { checkAddressMessage } from "./address-message-rules.ts";
import type { FieldError } from "./field-error.ts";
import { isHttpUrl } from "./http-url.ts";
import type {
  ButtonsContent,
  InteractiveContent,
  ListContent,
  MultiProductContent,
} from "./interactive-content.ts";
import { checkOrderDetails, checkOrderStatus } from "./order-rules.ts";
import { textLength } from "./text-length.ts";

/** Flow data is the first screen's initial values: small and shallow; deep nesting is refused early. */
const MAX_DATA_DEPTH = 16;
const MAX_DATA_BYTES = 64 * 1024;

/** How deeply `value` nests, stopping as soon as it passes the limit. */
function depth(value: unknown, level = 0): number {
  if (level > MAX_DATA_DEPTH || value === null || typeof value !== "object") return level;
  let deepest = level + 1;
  for (const v of Object.values(value)) {
    deepest = Math.max(deepest, depth(v, level + 1));
    if (deepest > MAX_DATA_DEPTH) break;
  }
  return deepest;
}

/** Adds an error to `errors` unless `value` (when given) is `min`..`max` long, blanks counting as empty. */
function size(
  errors: FieldError[],
  field: string,
  value: string | undefined,
  min: number,
  max: number,
): void {
  if (value !== undefined && (value.trim().length < min || textLength(value) > max)) {
    errors.push({ field, message: `size must be between ${min} and ${max}` });
  }
}

function url(errors: FieldError[], field: string, value: string): void {
  if (!isHttpUrl(value)) {
    errors.push({ field, message: "is not a valid url (an absolute http or https link)" });
  }
}

export function checkInteractive(content: InteractiveContent): FieldError[] {
  const errors: FieldError[] = [];
  size(errors, "body.text", content.body, 1, 1024);
  if ("footer" in content) size(errors, "footer.text", content.footer, 1, 60);
  const header = "header" in content ? content.header : undefined;
  if (header?.type === "TEXT") size(errors, "header.text", header.text, 1, 60);
  else if (header) url(errors, "header.mediaUrl", header.mediaUrl);

  switch (content.type) {
    case "interactive_buttons":
      checkButtons(errors, content);
      break;
    case "interactive_list":
      checkList(errors, content);
      break;
    case "interactive_location_request":
      break;
    case "interactive_url_button":
      size(errors, "action.displayText", content.displayText, 1, 20);
      url(errors, "action.url", content.url);
      break;
    case "interactive_product":
      size(errors, "action.catalogId", content.catalogId, 1, 200);
      size(errors, "action.productRetailerId", content.productRetailerId, 1, 200);
      break;
    case "interactive_multi_product":
      checkMultiProduct(errors, content);
      break;
    case "interactive_flow":
      size(errors, "action.callToActionButton", content.callToActionButton, 1, 20);
      size(errors, "action.flowToken", content.flowToken, 1, 3000);
      size(errors, "action.flowId", content.flowId, 1, 200);
      if (content.flowActionPayload && content.flowAction !== "NAVIGATE") {
        errors.push({
          field: "action.flowActionPayload",
          message: "is only allowed with the NAVIGATE flow action",
        });
      }
      if (content.flowActionPayload?.data !== undefined) {
        const data = content.flowActionPayload.data;
        if (Object.keys(data).length === 0) {
          errors.push({ field: "action.flowActionPayload.data", message: "must not be an empty object" });
        } else if (depth(data) > MAX_DATA_DEPTH || JSON.stringify(data).length > MAX_DATA_BYTES) {
          errors.push({
            field: "action.flowActionPayload.data",
            message: `must nest at most ${MAX_DATA_DEPTH} levels and hold at most ${MAX_DATA_BYTES} characters of JSON`,
          });
        }
      }
      break;
    case "interactive_address":
      errors.push(...checkAddressMessage(content));
      break;
    case "interactive_order_details":
      errors.push(...checkOrderDetails(content));
      break;
    case "interactive_order_status":
      errors.push(...checkOrderStatus(content));
      break;
  }
  return errors;
}

function checkButtons(errors: FieldError[], content: ButtonsContent): void {
  const n = content.buttons.length;
  if (n < 1 || n > 3) errors.push({ field: "action.buttons", message: "size must be between 1 and 3" });
  const ids = new Set<string>();
  const titles = new Set<string>();
  content.buttons.forEach((b, i) => {
    size(errors, `action.buttons[${i}].id`, b.id, 1, 256);
    size(errors, `action.buttons[${i}].title`, b.title, 1, 20);
    if (ids.has(b.id)) errors.push({ field: `action.buttons[${i}].id`, message: "must be unique" });
    if (titles.has(b.title)) errors.push({ field: `action.buttons[${i}].title`, message: "must be unique" });
    ids.add(b.id);
    titles.add(b.title);
  });
}

/** Sections need titles when there are several, of at most 24 characters. */
function sectionTitles(errors: FieldError[], sections: readonly { readonly title?: string }[]): void {
  if (sections.length < 1 || sections.length > 10)
    errors.push({ field: "action.sections", message: "size must be between 1 and 10" });
  sections.forEach((s, i) => {
    if (sections.length > 1 && !s.title) {
      errors.push({
        field: `action.sections[${i}].title`,
        message: "is required when there is more than one section",
      });
    }
    size(errors, `action.sections[${i}].title`, s.title, 1, 24);
  });
}

function checkList(errors: FieldError[], content: ListContent): void {
  size(errors, "action.title", content.buttonTitle, 1, 20);
  sectionTitles(errors, content.sections);
  const rows = content.sections.reduce((n, s) => n + s.rows.length, 0);
  if (rows > 10)
    errors.push({
      field: "action.sections",
      message: `at most 10 rows in all sections together, got ${rows}`,
    });
  const ids = new Set<string>();
  content.sections.forEach((s, i) => {
    if (s.rows.length === 0)
      errors.push({ field: `action.sections[${i}].rows`, message: "must hold at least one row" });
    s.rows.forEach((r, j) => {
      const at = `action.sections[${i}].rows[${j}]`;
      size(errors, `${at}.id`, r.id, 1, 200);
      size(errors, `${at}.title`, r.title, 1, 24);
      size(errors, `${at}.description`, r.description, 0, 72);
      if (ids.has(r.id)) errors.push({ field: `${at}.id`, message: "must be unique across all sections" });
      ids.add(r.id);
    });
  });
}

function checkMultiProduct(errors: FieldError[], content: MultiProductContent): void {
  size(errors, "action.catalogId", content.catalogId, 1, 200);
  sectionTitles(errors, content.sections);
  const products = content.sections.reduce((n, s) => n + s.productRetailerIds.length, 0);
  if (products > 30)
    errors.push({ field: "action.sections", message: `at most 30 products in all, got ${products}` });
  content.sections.forEach((s, i) => {
    if (s.productRetailerIds.length === 0) {
      errors.push({
        field: `action.sections[${i}].productRetailerIds`,
        message: "must hold at least one product",
      });
    }
  });
}
