/**
 * The simulated reviewer: the content rules Meta's template review enforces, applied after a
 * delay to templates of accounts that are not business-verified. Documented in the README.
 */
import { placeholders, type TemplateCategory, type TemplateStructure } from "./template.ts";

export type ReviewVerdict =
  | { readonly verdict: "APPROVED" }
  | { readonly verdict: "REJECTED"; readonly reason: "INVALID_FORMAT"; readonly details: string };

export function reviewTemplate(category: TemplateCategory, structure: TemplateStructure): ReviewVerdict {
  // Authentication templates use WhatsApp's own fixed wording ("{{1}} is your verification code."),
  // which the content rules below were never meant to judge.
  if (category === "AUTHENTICATION") return { verdict: "APPROVED" };
  const text = structure.body.text.trim();
  const reject = (details: string): ReviewVerdict => ({
    verdict: "REJECTED",
    reason: "INVALID_FORMAT",
    details,
  });
  if (/^\{\{\s*\d+\s*\}\}/.test(text)) return reject("the body may not start with a variable");
  if (/\{\{\s*\d+\s*\}\}[.!?]?$/.test(text)) return reject("the body may not end with a variable");
  if (/\}\}\s*\{\{/.test(text)) return reject("two variables may not stand next to each other");
  const variables = new Set(placeholders(text)).size;
  const examples = structure.body.examples?.length ?? 0;
  if (examples < variables) return reject(`the body has ${variables} variables but ${examples} examples`);
  return { verdict: "APPROVED" };
}
