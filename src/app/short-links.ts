/**
 * URL shortening on the accept path: which domain a send's short links use (checked against the
 * account's registered domains and the template's), and the message rewritten with its short
 * links. Codes are derived from the account, message id and link, so a retried send makes the
 * same links and the same stored message.
 */
import { createHash } from "node:crypto";
import type { Account } from "../core/account.ts";
import type { FieldError } from "../core/field-error.ts";
import type { OutboundRequest } from "../core/message.ts";
import type { NewMessage } from "../core/new-message.ts";
import {
  checkTemplateShortening,
  checkUrlOptions,
  clickReportUrl,
  clicksTracked,
  customDomainBase,
  shorteningDomain,
  shortenMessage,
  shortLinkText,
} from "../core/short-links.ts";
import type { TemplateStructure } from "../core/template.ts";
import type { AppContext } from "./context.ts";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Ten base-62 characters: 8·10^17 codes, so collisions stay out of reach. */
const CODE_LENGTH = 10;
export const SHORT_CODE = /^[0-9A-Za-z]{10}$/;

/** The short code of `url` in message `messageId` of `accountId`: the same inputs, the same code. */
export function shortCode(accountId: string, messageId: string, url: string): string {
  let n = createHash("sha256")
    .update(`${accountId}\u0000${messageId}\u0000${url}`)
    .digest()
    .readBigUInt64BE(0);
  let out = "";
  for (let i = 0; i < CODE_LENGTH; i++) {
    out += ALPHABET[Number(n % 62n)];
    n /= 62n;
  }
  return out;
}

/** The domain a send's short links use (undefined: OpenBSP's own), or why the send is refused. */
export async function shorteningDomainFor(
  ctx: AppContext,
  account: Account,
  req: OutboundRequest,
  template: TemplateStructure | undefined,
): Promise<{ readonly domain?: string } | { readonly errors: readonly FieldError[] }> {
  const options = req.urlOptions;
  const templateDomain = template?.shortening?.customDomain;
  if (!options && templateDomain === undefined) return {};
  const errors = options ? checkUrlOptions(options) : [];
  if (errors.length > 0) return { errors };
  const registered =
    options?.customDomain !== undefined
      ? (await ctx.storage.links.listDomains(account.id)).map((d) => d.domain)
      : [];
  const decided = shorteningDomain(options, registered, templateDomain);
  return "field" in decided ? { errors: [decided] } : decided;
}

/** `row` with its links replaced by short links under `domain` (or `{linkBase}/s/`), and the links to store. */
export function withShortLinks<R extends NewMessage>(
  row: R,
  req: OutboundRequest,
  template: TemplateStructure | undefined,
  domain: string | undefined,
  linkBase: string,
): R {
  // Most sends ask for no shortening: they pay nothing for it.
  if (!req.urlOptions && !template?.shortening) return row;
  const base = domain !== undefined ? customDomainBase(domain) : `${linkBase.replace(/\/+$/, "")}/s`;
  const removeProtocol = req.urlOptions?.removeProtocol ?? false;
  const shortened = shortenMessage(row.content, template, req.urlOptions, (url) => {
    const code = shortCode(row.accountId, row.messageId, url);
    return { code, shown: shortLinkText(base, code, removeProtocol) };
  });
  if (shortened.links.length === 0) return row;
  const trackingUrl = clickReportUrl(req.urlOptions);
  const tracked = clicksTracked(req.urlOptions);
  return {
    ...row,
    content: shortened.content,
    shortLinks: shortened.links.map((l) => ({
      ...l,
      ...(domain !== undefined ? { domain } : {}),
      ...(trackingUrl ? { trackingUrl } : {}),
      ...(tracked ? { tracked } : {}),
    })),
  };
}

/** A template's shortening options, checked against the account's registered domains. */
export async function templateShorteningErrors(
  ctx: AppContext,
  account: Account,
  structure: TemplateStructure,
): Promise<FieldError[]> {
  if (!structure.shortening) return [];
  return checkTemplateShortening(
    structure,
    (await ctx.storage.links.listDomains(account.id)).map((d) => d.domain),
  );
}
