/** How a send wants the links of its text shortened and tracked (Infobip's `urlOptions`, defaults applied; see short-links.ts). */
export interface UrlOptions {
  readonly shortenUrl: boolean;
  readonly trackClicks: boolean;
  /** Where CLICK reports go; without it clicks are recorded but not reported. */
  readonly trackingUrl?: string;
  /** Show `example.com/x` instead of `https://example.com/x`. */
  readonly removeProtocol: boolean;
  /** A shortening domain registered to the account; the default is OpenBSP's own `/s/` links. */
  readonly customDomain?: string;
}
