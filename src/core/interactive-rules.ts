/**
 * WhatsApp's limits on interactive messages: body 1..1024, footer and text header up to 60; 1..3
 * reply buttons with unique ids (≤256) and titles (≤20); lists of 1..10 sections with at most 10
 * rows in all, unique row ids (≤200), row titles ≤24, descriptions ≤72, section titles ≤24 and
 * required when there is more than one section, and a button label ≤20.
 */
import type { FieldError } from "./field-error.ts";
import type { InteractiveContent } from "./interactive-content.ts";

const MEDIA_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

export function checkInteractive(content: InteractiveContent): FieldError[] {
  const errors: FieldError[] = [];
  const size = (field: string, value: string | undefined, min: number, max: number) => {
    if (value !== undefined && (value.trim().length < min || value.length > max)) {
      errors.push({ field, message: `size must be between ${min} and ${max}` });
    }
  };
  size("body.text", content.body, 1, 1024);
  size("footer.text", content.footer, 1, 60);
  const header = content.header;
  if (header?.type === "TEXT") size("header.text", header.text, 1, 60);
  else if (header && !MEDIA_URL.test(header.mediaUrl)) {
    errors.push({ field: "header.mediaUrl", message: "is not a valid url (an absolute http or https link)" });
  }

  if (content.type === "interactive_buttons") {
    const n = content.buttons.length;
    if (n < 1 || n > 3) errors.push({ field: "action.buttons", message: "size must be between 1 and 3" });
    const ids = new Set<string>();
    const titles = new Set<string>();
    content.buttons.forEach((b, i) => {
      size(`action.buttons[${i}].id`, b.id, 1, 256);
      size(`action.buttons[${i}].title`, b.title, 1, 20);
      if (ids.has(b.id)) errors.push({ field: `action.buttons[${i}].id`, message: "must be unique" });
      if (titles.has(b.title)) errors.push({ field: `action.buttons[${i}].title`, message: "must be unique" });
      ids.add(b.id);
      titles.add(b.title);
    });
    return errors;
  }

  size("action.title", content.buttonTitle, 1, 20);
  const sections = content.sections;
  if (sections.length < 1 || sections.length > 10) errors.push({ field: "action.sections", message: "size must be between 1 and 10" });
  const rows = sections.reduce((n, s) => n + s.rows.length, 0);
  if (rows > 10) errors.push({ field: "action.sections", message: `at most 10 rows in all sections together, got ${rows}` });
  const ids = new Set<string>();
  sections.forEach((s, i) => {
    if (sections.length > 1 && !s.title) {
      errors.push({ field: `action.sections[${i}].title`, message: "is required when there is more than one section" });
    }
    size(`action.sections[${i}].title`, s.title, 1, 24);
    if (s.rows.length === 0) errors.push({ field: `action.sections[${i}].rows`, message: "must hold at least one row" });
    s.rows.forEach((r, j) => {
      const at = `action.sections[${i}].rows[${j}]`;
      size(`${at}.id`, r.id, 1, 200);
      size(`${at}.title`, r.title, 1, 24);
      size(`${at}.description`, r.description, 0, 72);
      if (ids.has(r.id)) errors.push({ field: `${at}.id`, message: "must be unique across all sections" });
      ids.add(r.id);
    });
  });
  return errors;
}
