/** Core → Infobip: the template object of templates v2 (api-reference A.10). */
import { customDomainBase } from "../../core/short-links.ts";
import { placeholders, type Template } from "../../core/template.ts";
import { infobipDate } from "./from-core.ts";
import type { TemplateObject } from "./schemas/template-schemas.ts";

const TEMPLATE_STATUS: Record<Template["status"], string> = {
  PENDING: "PENDING",
  APPROVED: "APPROVED",
  REJECTED: "REJECTED",
  PAUSED: "FIRST_PAUSED",
  DISABLED: "DISABLED",
};

/**
 * With a shortening domain, a dynamic URL button is registered with WhatsApp under that domain
 * (sends fill in a short code) and `destinationUrl` keeps the URL it leads to.
 */
export function templateObject(t: Template): TemplateObject {
  const s = t.structure;
  // A carousel's cards all carry media, so the template counts as a media template.
  const media = (s.header !== undefined && s.header.format !== "TEXT") || s.carousel !== undefined;
  const structure = {
    ...(s.header ? { header: s.header } : {}),
    body: { text: s.body.text, ...(s.body.examples ? { examples: s.body.examples } : {}) },
    ...(s.footer ? { footer: s.footer } : {}),
    ...(s.buttons.length > 0
      ? {
          buttons: s.buttons.map((b) =>
            b.type === "OTP"
              ? { otpType: b.otpType, ...(b.text ? { text: b.text } : {}) }
              : b.type === "FLOW"
                ? { ...b, flowId: Number(b.flowId) }
                : b.type === "URL" && s.shortening && placeholders(b.url).length > 0
                  ? {
                      ...b,
                      url: `${customDomainBase(s.shortening.customDomain)}/{{1}}`,
                      destinationUrl: b.url,
                    }
                  : b,
          ),
        }
      : {}),
    ...(s.limitedTimeOffer ? { limitedTimeOffer: s.limitedTimeOffer } : {}),
    ...(s.shortening ? { shorteningOptions: s.shortening } : {}),
    ...(s.carousel ? { carousel: s.carousel } : {}),
    type: media ? "MEDIA" : "TEXT",
  };
  return {
    id: t.id,
    businessAccountId: Number(t.wabaId),
    name: t.name,
    language: t.language,
    status: TEMPLATE_STATUS[t.status],
    category: t.category,
    structure,
    quality: t.status === "APPROVED" ? "HIGH" : "UNKNOWN",
    ...(t.entityId || t.applicationId
      ? {
          platform: {
            ...(t.entityId ? { entityId: t.entityId } : {}),
            ...(t.applicationId ? { applicationId: t.applicationId } : {}),
          },
        }
      : {}),
    createdAt: infobipDate(t.createdAt),
    lastUpdatedAt: infobipDate(t.updatedAt),
    ...(t.ttlSeconds !== undefined
      ? {
          validityPeriod:
            t.ttlSeconds % 60 === 0
              ? { amount: t.ttlSeconds / 60, timeUnit: "MINUTES" as const }
              : { amount: t.ttlSeconds, timeUnit: "SECONDS" as const },
        }
      : {}),
  };
}
