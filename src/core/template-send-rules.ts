/**
 * Does a template send match the template as registered? The number of body values, the header
 * and the dynamic buttons must all agree, or WhatsApp would refuse to render the message.
 */
import type { FieldError } from "./field-error.ts";
import type { TemplateContent } from "./message.ts";
import { bodyPlaceholderCount, dynamicButtons, headerNeedsValue, type Template } from "./template.ts";

/**
 * Pick the template a send refers to from every language registered under that name, or say
 * which field is wrong.
 */
export function resolveTemplate(
  candidates: readonly Template[],
  content: Pick<TemplateContent, "templateName" | "language">,
): Template | FieldError {
  if (candidates.length === 0) {
    return { field: "templateName", message: `template ${content.templateName} does not exist`, code: 132001 };
  }
  const template = candidates.find((t) => t.language === content.language);
  if (!template) {
    const languages = candidates.map((t) => t.language).join(", ");
    return {
      field: "language",
      message: `template ${content.templateName} is not registered in ${content.language} (registered: ${languages})`,
      code: 132001,
    };
  }
  if (template.status !== "APPROVED") {
    const code = template.status === "PAUSED" ? 132015 : template.status === "DISABLED" ? 132016 : 132001;
    return { field: "templateName", message: `template ${content.templateName} is ${template.status}, not APPROVED`, code };
  }
  return template;
}

export function checkTemplateSend(template: Template, content: TemplateContent): FieldError[] {
  const errors: FieldError[] = [];
  const s = template.structure;
  const expected = bodyPlaceholderCount(s);
  if (content.bodyPlaceholders.length !== expected) {
    errors.push({
      field: "body.placeholders",
      message: `template ${template.name} expects ${expected} placeholders, got ${content.bodyPlaceholders.length}`,
      code: 132000,
    });
  }
  content.bodyPlaceholders.forEach((value, i) => {
    if (value.trim().length === 0) errors.push({ field: `body.placeholders[${i}]`, message: "must not be blank" });
  });

  if (headerNeedsValue(s.header)) {
    const format = s.header?.format;
    if (!content.header) {
      errors.push({ field: "header", message: `template ${template.name} has a ${format} header that needs a value`, code: 132000 });
    } else if (content.header.type !== format) {
      errors.push({ field: "header.type", message: `must be ${format}, as registered`, code: 132012 });
    }
  } else if (content.header) {
    errors.push({ field: "header", message: `template ${template.name} has no header that takes a value`, code: 132000 });
  }

  const offer = s.limitedTimeOffer;
  if (offer?.hasExpiration) {
    if (content.offerExpiresAt === undefined) {
      errors.push({ field: "limitedTimeOffer.expirationTime", message: `template ${template.name} needs the offer's expiration time` });
    } else if (Number.isNaN(Date.parse(content.offerExpiresAt))) {
      errors.push({ field: "limitedTimeOffer.expirationTime", message: "must be a date-time such as 2026-12-31T23:59:59.000+0000" });
    }
  } else if (content.offerExpiresAt !== undefined) {
    errors.push({ field: "limitedTimeOffer", message: `template ${template.name} has no limited-time offer with an expiration` });
  }

  const kinds = dynamicButtons(s);
  if (content.buttons.length !== kinds.length) {
    errors.push({
      field: "buttons",
      message: `template ${template.name} has ${kinds.length} buttons that take a value, got ${content.buttons.length}`,
      code: 132000,
    });
  } else {
    content.buttons.forEach((b, i) => {
      if (b.type !== kinds[i]) {
        errors.push({ field: `buttons[${i}].type`, message: `must be ${kinds[i]}, as registered`, code: 132012 });
      }
    });
  }
  return errors;
}
