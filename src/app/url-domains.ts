/**
 * Custom URL shortening domains, registered per account. Infobip registers them in its web
 * interface (and verifies DNS); OpenBSP takes them over its own small API and trusts the caller:
 * links under a domain work once the domain points at OpenBSP.
 */
import type { Account } from "../core/account.ts";
import type { FieldError } from "../core/field-error.ts";
import { isDomainName, normalizeDomain } from "../core/short-links.ts";
import type { AppContext } from "./context.ts";

export interface UrlDomain {
  readonly domain: string;
  readonly createdAt: number;
}

export async function registerUrlDomain(
  ctx: AppContext,
  account: Account,
  raw: string,
): Promise<
  | { readonly kind: "created" | "exists"; readonly domain: UrlDomain }
  | { readonly kind: "invalid"; readonly error: FieldError }
> {
  const domain = normalizeDomain(raw);
  if (!isDomainName(domain)) {
    return {
      kind: "invalid",
      error: {
        field: "domain",
        message: "must be a domain name such as go.example.com (no scheme, port or path)",
      },
    };
  }
  const now = ctx.clock.now();
  if (await ctx.storage.links.putDomain(account.id, domain, now))
    return { kind: "created", domain: { domain, createdAt: now } };
  const existing = (await ctx.storage.links.listDomains(account.id)).find((d) => d.domain === domain);
  return { kind: "exists", domain: existing ?? { domain, createdAt: now } };
}

export function listUrlDomains(ctx: AppContext, account: Account): Promise<UrlDomain[]> {
  return ctx.storage.links.listDomains(account.id);
}

export function removeUrlDomain(ctx: AppContext, account: Account, raw: string): Promise<boolean> {
  return ctx.storage.links.deleteDomain(account.id, normalizeDomain(raw));
}
