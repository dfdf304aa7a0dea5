/**
 * Free-form content besides text: media by link, a location, contact cards. Sent only inside the
 * customer-service window, like text.
 */
export interface MediaContent {
  readonly type: "document" | "image" | "audio" | "video" | "sticker";
  readonly mediaUrl: string;
  /** Media uploaded to OpenBSP (Meta's face), sent by id; `mediaUrl` is then its download link. */
  readonly mediaId?: string;
  readonly caption?: string;
  /** Documents: the file name the user sees. */
  readonly filename?: string;
  /** Audio: play as a voice note. */
  readonly voice?: boolean;
}

export interface LocationContent {
  readonly type: "location";
  readonly latitude: number;
  readonly longitude: number;
  readonly name?: string;
  readonly address?: string;
}

export interface ContactCard {
  /** WhatsApp needs the formatted name and at least one part (first, last, middle, suffix, prefix). */
  readonly name: {
    readonly firstName?: string;
    readonly formattedName: string;
    readonly lastName?: string;
    readonly middleName?: string;
    readonly nameSuffix?: string;
    readonly namePrefix?: string;
  };
  readonly addresses?: readonly Readonly<Record<string, string>>[];
  readonly birthday?: string;
  readonly emails?: readonly { readonly email?: string; readonly type?: string }[];
  readonly org?: { readonly company?: string; readonly department?: string; readonly title?: string };
  readonly phones?: readonly { readonly phone?: string; readonly type?: string; readonly waId?: string }[];
  readonly urls?: readonly { readonly url?: string; readonly type?: string }[];
}

export interface ContactContent {
  readonly type: "contact";
  readonly contacts: readonly ContactCard[];
}

export type FreeFormContent = MediaContent | LocationContent | ContactContent;
