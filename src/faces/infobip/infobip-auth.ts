/**
 * Infobip's Authorization schemes (api-reference A.1): `App <key>` (recommended), `Basic`
 * (password = the API key), and `Bearer`/`IBSSO` tokens, which here are API keys as well.
 */
export function apiKeyFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(App|Basic|Bearer|IBSSO)\s+(\S+)\s*$/i.exec(header);
  if (!match) return undefined;
  const [, scheme, value] = match as unknown as [string, string, string];
  if (scheme.toLowerCase() !== "basic") return value;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}
