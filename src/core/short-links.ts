/**
 * URL shortening and click tracking, as Infobip offers it: which links of a message are replaced
 * by short links, how a short link reads, and which shortening domain a send may use. Pure: the
 * caller supplies each link's code (stable per message and link) and the registered domains.
 */
import type { FieldError } from "./field-error.ts";
import { isHttpUrl } from "./http-url.ts";
import type { MessageContent, TemplateButtonValue } from "./message.ts";
import { placeholders, type TemplateStructure } from "./template.ts";
import type { UrlOptions } from "./url-options.ts";

export type { UrlOptions } from "./url-options.ts";

/** A short link to store with its message: the code in it and where it leads. */
export interface NewShortLink {
  readonly code: string;
  readonly url: string;
  /** The custom domain the link is served under, or undefined for OpenBSP's own `/s/` links. */
  readonly domain?: string;
  /** Report clicks to this URL (trackClicks and a trackingUrl both given). */
  readonly trackingUrl?: string;
  /** Clicks are tracked (trackClicks not false): without a trackingUrl they go to the CLICK subscriptions. */
  readonly tracked?: boolean;
}

/** A stored short link, as the redirect reads it. */
export interface ShortLink extends NewShortLink {
  readonly accountId: string;
  readonly messageId: string;
  readonly createdAt: number;
}

/** http(s) links in running text. */
const LINK = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Sentence punctuation that ends a sentence, not the link it follows. */
const TRAILING = /[.,;:!?)\]}*_~]+$/;
/** A domain name: labels of letters, digits and hyphens, at least one dot, no scheme or path. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** The http(s) links of `text`, in order, each with where it sits. */
export function linksIn(
  text: string,
): { readonly url: string; readonly start: number; readonly end: number }[] {
  const out: { url: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(LINK)) {
    const raw = m[0];
    let url = raw.replace(TRAILING, "");
    // A closing bracket belongs to the link if the link opened one (Wikipedia-style URLs).
    if (raw[url.length] === ")" && count(url, "(") > count(url, ")")) url += ")";
    if (!isHttpUrl(url)) continue;
    const start = m.index ?? 0;
    out.push({ url, start, end: start + url.length });
  }
  return out;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/** `text` with each link replaced by `shorten(url)`; the same link gets the same short link. */
export function shortenText(text: string, shorten: (url: string) => string): string {
  let out = "";
  let at = 0;
  for (const link of linksIn(text)) {
    out += text.slice(at, link.start) + shorten(link.url);
    at = link.end;
  }
  return out + text.slice(at);
}

/** The short link as the user sees it: `{base}/{code}`, without `https://` if asked. */
export function shortLinkText(base: string, code: string, removeProtocol: boolean): string {
  const link = `${base.replace(/\/+$/, "")}/${code}`;
  return removeProtocol ? link.replace(/^https?:\/\//i, "") : link;
}

/** The base of links under a custom domain (served by OpenBSP when the domain points at it). */
export function customDomainBase(domain: string): string {
  return `https://${domain}`;
}

/** A domain as stored and compared: lower case, no trailing dot. */
export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, "");
}

/** Is `domain` a bare domain name (no scheme, port or path)? */
export function isDomainName(domain: string): boolean {
  return DOMAIN.test(domain);
}

/**
 * The domain rule of a send: a custom domain must be registered to the account, and a template
 * registered with a shortening domain is sent with that domain only. Answers the domain to use
 * (undefined: OpenBSP's default links) or the error naming the field.
 */
export function shorteningDomain(
  options: UrlOptions | undefined,
  registered: readonly string[],
  templateDomain?: string,
): { readonly domain?: string } | FieldError {
  const requested = options?.customDomain === undefined ? undefined : normalizeDomain(options.customDomain);
  if (requested !== undefined && !registered.includes(requested)) {
    return {
      field: "urlOptions.customDomain",
      message: `${options?.customDomain} is not a URL shortening domain registered to this account`,
    };
  }
  if (templateDomain !== undefined && requested !== undefined && requested !== templateDomain) {
    return {
      field: "urlOptions.customDomain",
      message: `must be ${templateDomain}, the shortening domain the template was registered with`,
    };
  }
  const domain = requested ?? templateDomain;
  return domain === undefined ? {} : { domain };
}

/** Checks the urlOptions fields that need no lookup. */
export function checkUrlOptions(options: UrlOptions): FieldError[] {
  const errors: FieldError[] = [];
  if (options.trackingUrl !== undefined && !isHttpUrl(options.trackingUrl)) {
    errors.push({
      field: "urlOptions.trackingUrl",
      message: "is not a valid url (an absolute http or https link)",
    });
  }
  if (options.customDomain !== undefined && !isDomainName(normalizeDomain(options.customDomain))) {
    errors.push({
      field: "urlOptions.customDomain",
      message: "must be a domain name such as go.example.com",
    });
  }
  return errors;
}

/** Whether a send's short links track clicks (Infobip's trackClicks is on unless set false). */
export function clicksTracked(options: UrlOptions | undefined): boolean {
  return options?.shortenUrl !== false && options?.trackClicks !== false;
}

/** Where clicks are reported: only for tracked links of a send that named a tracking URL. */
export function clickReportUrl(options: UrlOptions | undefined): string | undefined {
  return options?.shortenUrl !== false && options?.trackClicks !== false ? options?.trackingUrl : undefined;
}

/**
 * A template registered with `shorteningOptions` must have a dynamic URL button: the shortening
 * replaces that button's parameter with a short code (Infobip registers the button under the
 * shortening domain).
 */
export function checkTemplateShortening(
  structure: TemplateStructure,
  registered: readonly string[],
): FieldError[] {
  const domain = structure.shortening?.customDomain;
  if (domain === undefined) return [];
  const errors: FieldError[] = [];
  if (!structure.buttons.some((b) => b.type === "URL" && placeholders(b.url).length > 0)) {
    errors.push({
      field: "structure.shorteningOptions",
      message: "applies only to templates with a dynamic URL button",
    });
  }
  if (!registered.includes(domain)) {
    errors.push({
      field: "structure.shorteningOptions.customDomain",
      message: `${domain} is not a URL shortening domain registered to this account`,
    });
  }
  return errors;
}

/**
 * The destinations of a template send's dynamic URL buttons: the registered URL with the
 * parameter put in, by index into the send's button values.
 */
export function urlButtonTargets(
  structure: TemplateStructure,
  buttons: readonly TemplateButtonValue[],
): { readonly index: number; readonly url: string }[] {
  const dynamicUrls = structure.buttons.flatMap((b) =>
    b.type === "URL" && placeholders(b.url).length > 0 ? [b.url] : [],
  );
  const out: { index: number; url: string }[] = [];
  let k = 0;
  buttons.forEach((b, index) => {
    if (b.type !== "URL") return;
    const registered = dynamicUrls[k++];
    if (registered !== undefined)
      out.push({ index, url: registered.replace(/\{\{\s*1\s*\}\}/, b.parameter) });
  });
  return out;
}

/**
 * A message with its links shortened, and the links made: the links of a text when the send asks
 * for shortening, the dynamic URL buttons of a template registered with a shortening domain
 * (unless the send says `shortenUrl: false`). `link` gives a URL's code and the text shown for it.
 */
export function shortenMessage<C extends MessageContent>(
  content: C,
  template: TemplateStructure | undefined,
  options: UrlOptions | undefined,
  link: (url: string) => { readonly code: string; readonly shown: string },
): { readonly content: C; readonly links: readonly { readonly code: string; readonly url: string }[] } {
  const links = new Map<string, { code: string; url: string }>();
  const make = (url: string) => {
    const l = link(url);
    links.set(l.code, { code: l.code, url });
    return l;
  };
  if (content.type === "text" && options?.shortenUrl) {
    return {
      content: { ...content, text: shortenText(content.text, (url) => make(url).shown) },
      links: [...links.values()],
    };
  }
  if (content.type === "template" && template?.shortening && options?.shortenUrl !== false) {
    const buttons = [...content.buttons];
    for (const t of urlButtonTargets(template, content.buttons))
      buttons[t.index] = { type: "URL", parameter: make(t.url).code };
    return { content: { ...content, buttons }, links: [...links.values()] };
  }
  return { content, links: [] };
}
