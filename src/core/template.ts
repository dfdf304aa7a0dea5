/**
 * Message templates as registered: structure, category and review status, and the placeholder
 * arithmetic that both registration and sending rely on.
 */
export type TemplateCategory = "MARKETING" | "UTILITY" | "AUTHENTICATION";
export const TEMPLATE_CATEGORIES: readonly TemplateCategory[] = ["MARKETING", "UTILITY", "AUTHENTICATION"];

/** Review lifecycle. PENDING → APPROVED | REJECTED; an edit sends it back to PENDING. */
export type TemplateStatus = "PENDING" | "APPROVED" | "REJECTED" | "PAUSED" | "DISABLED";

export type TemplateHeader =
  | { readonly format: "TEXT"; readonly text: string; readonly example?: string }
  | { readonly format: "IMAGE" | "VIDEO" | "GIF" | "DOCUMENT"; readonly example?: string }
  | { readonly format: "LOCATION" };

export type TemplateButton =
  | { readonly type: "QUICK_REPLY"; readonly text: string }
  | { readonly type: "URL"; readonly text: string; readonly url: string; readonly example?: string }
  | { readonly type: "PHONE_NUMBER"; readonly text: string; readonly phoneNumber: string }
  | { readonly type: "COPY_CODE"; readonly text: string; readonly example: string }
  /** Opens a WhatsApp Flow; must be the template's only button. */
  | {
      readonly type: "FLOW";
      readonly text: string;
      readonly flowId: string;
      readonly flowAction: "NAVIGATE" | "DATA_EXCHANGE";
      readonly navigateScreen?: string;
    }
  /** Opens the business's catalog, or several of its products; must be the only button. */
  | { readonly type: "CATALOG" | "MULTI_PRODUCT"; readonly text: string }
  /** Opens the order to review and pay; filled with the order at send time; must be the only button. */
  | { readonly type: "ORDER_DETAILS"; readonly text: string; readonly variant: "BRAZIL" | "INDIA" }
  /** Calls the business on WhatsApp; static. Its link lasts `callValidityPeriod` minutes. */
  | { readonly type: "VOICE_CALL"; readonly text: string; readonly callValidityPeriod?: number }
  /** Authentication templates: the one-time-password button, filled with the code at send time. */
  | { readonly type: "OTP"; readonly otpType: "COPY_CODE" | "ONE_TAP"; readonly text?: string };

export interface TemplateStructure {
  readonly header?: TemplateHeader;
  readonly body: { readonly text: string; readonly examples?: readonly string[] };
  readonly footer?: { readonly text: string };
  readonly buttons: readonly TemplateButton[];
  /** A limited-time offer (marketing only): its headline and whether it shows a countdown. */
  readonly limitedTimeOffer?: { readonly text: string; readonly hasExpiration: boolean };
  /** URL shortening: dynamic URL buttons are sent as short links under this registered domain. */
  readonly shortening?: { readonly customDomain: string };
  /** Media cards scrolled sideways under the body (marketing only); see carousel-rules.ts. */
  readonly carousel?: { readonly cards: readonly CarouselCard[] };
}

/** One card of a carousel: a media header, an optional short body and one or two buttons. */
export interface CarouselCard {
  readonly header?: TemplateHeader;
  readonly body?: { readonly text: string; readonly examples?: readonly string[] };
  readonly buttons: readonly TemplateButton[];
}

export interface Template {
  readonly id: string;
  readonly wabaId: string;
  readonly name: string;
  readonly language: string;
  readonly category: TemplateCategory;
  readonly structure: TemplateStructure;
  readonly status: TemplateStatus;
  readonly rejectionReason?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When the simulated reviewer decides a PENDING template. */
  readonly reviewDueAt?: number;
  readonly entityId?: string;
  readonly applicationId?: string;
  /** A custom time-to-live for its sends, in seconds (ttl.ts); none: WhatsApp's default. */
  readonly ttlSeconds?: number;
}

/** What a business submits to register (or edit) a template. */
export interface TemplateDefinition {
  readonly name: string;
  readonly language: string;
  readonly category: TemplateCategory;
  readonly structure: TemplateStructure;
  readonly entityId?: string;
  readonly applicationId?: string;
  /** A custom time-to-live for its sends, in seconds (authentication and utility only; ttl.ts). */
  readonly ttlSeconds?: number;
}

export const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

/** The placeholder numbers in `text`, in order of appearance (`{{1}} and {{2}}` → [1, 2]). */
export function placeholders(text: string): number[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => Number(m[1]));
}

/** The number of body values a send must supply. */
export function bodyPlaceholderCount(structure: TemplateStructure): number {
  return new Set(placeholders(structure.body.text)).size;
}

/** Does the header take a value at send time (a text placeholder or media)? */
export function headerNeedsValue(header: TemplateHeader | undefined): boolean {
  if (!header) return false;
  return header.format !== "TEXT" || placeholders(header.text).length > 0;
}

/** The button kinds a send must fill, in registration order (static buttons take nothing). */
export type DynamicButtonKind =
  | "QUICK_REPLY"
  | "URL"
  | "COPY_CODE"
  | "FLOW"
  | "CATALOG"
  | "MULTI_PRODUCT"
  | "ORDER_DETAILS";

/** Buttons that must be the template's only button. */
export const SOLE_BUTTONS: readonly string[] = ["FLOW", "CATALOG", "MULTI_PRODUCT", "ORDER_DETAILS"];

export function dynamicButtons(structure: Pick<TemplateStructure, "buttons">): DynamicButtonKind[] {
  const kinds: DynamicButtonKind[] = [];
  for (const b of structure.buttons) {
    if (["QUICK_REPLY", "COPY_CODE", "FLOW", "CATALOG", "MULTI_PRODUCT", "ORDER_DETAILS"].includes(b.type))
      kinds.push(b.type as DynamicButtonKind);
    else if (b.type === "URL" && placeholders(b.url).length > 0) kinds.push("URL");
    else if (b.type === "OTP") kinds.push("URL");
  }
  return kinds;
}

/** What a send of a template must supply, read off its registered structure. */
export interface SendShape {
  readonly bodyValues: number;
  readonly headerTakesValue: boolean;
  readonly buttons: readonly DynamicButtonKind[];
}

// A structure is immutable once registered and the catalog's caches hand out the same object to
// every send: its shape is worked out on the first send, not on each (no regex per request).
const shapes = new WeakMap<object, SendShape>();

export function sendShapeOf(structure: TemplateStructure): SendShape {
  let shape = shapes.get(structure);
  if (!shape) {
    shape = {
      bodyValues: bodyPlaceholderCount(structure),
      headerTakesValue: headerNeedsValue(structure.header),
      buttons: dynamicButtons(structure),
    };
    shapes.set(structure, shape);
  }
  return shape;
}

/** The dynamic buttons of a structure or of a carousel card (memoized like `sendShapeOf`). */
export function dynamicButtonsOf(
  structure: Pick<TemplateStructure, "buttons">,
): readonly DynamicButtonKind[] {
  let kinds = buttonShapes.get(structure);
  if (!kinds) {
    kinds = dynamicButtons(structure);
    buttonShapes.set(structure, kinds);
  }
  return kinds;
}
const buttonShapes = new WeakMap<object, readonly DynamicButtonKind[]>();

/** The body an authentication template renders; WhatsApp fixes its wording. */
export function authenticationBody(addSecurityRecommendation: boolean): string {
  return addSecurityRecommendation
    ? "{{1}} is your verification code. For your security, do not share this code."
    : "{{1}} is your verification code.";
}
