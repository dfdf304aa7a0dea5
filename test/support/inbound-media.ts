/**
 * Inbound media and a second account for tests, put in through the store and media ports the way
 * the sandbox stores what a simulated user sends: the bytes kept beside the database, the record
 * `origin: "inbound"` with the user's number.
 */
import { Readable } from "node:stream";
import type { UploadedMedia } from "../../src/core/uploaded-media.ts";
import { UploadedMediaFiles } from "../../src/media/uploaded-media-files.ts";
import { addAccount } from "./accounts.ts";
import type { TestServer } from "./harness.ts";

let last = 0;

export interface InboundMediaSeed {
  readonly bytes: Buffer;
  readonly mimeType: string;
  /** The user who sent it. */
  readonly from: string;
  /** The business number it was sent to. */
  readonly sender: string;
  readonly accountId?: string;
  readonly filename?: string;
}

/** Stores `seed` as media a user sent in, received now on the sandbox clock; resolves with its record. */
export async function seedInboundMedia(server: TestServer, seed: InboundMediaSeed): Promise<UploadedMedia> {
  const files = new UploadedMediaFiles(server.ctx.config.mediaDir);
  const bytes = await files.receive(Readable.from([seed.bytes]), seed.bytes.length + 1);
  if (bytes === "too-large") throw new Error("unreachable: the limit is above the size");
  const now = server.clock.now();
  last = Math.max(last + 1, now * 1000 + 700);
  const media: UploadedMedia = {
    id: String(last),
    accountId: seed.accountId ?? server.seeded.account.id,
    sender: seed.sender,
    mimeType: seed.mimeType,
    sha256: bytes.sha256,
    size: bytes.size,
    ...(seed.filename ? { filename: seed.filename } : {}),
    origin: "inbound",
    from: seed.from,
    createdAt: now,
  };
  await files.keep(bytes, media.id);
  await server.ctx.storage.media.put(media);
  return media;
}

export interface OtherAccount {
  readonly accountId: string;
  readonly apiKey: string;
  readonly sender: string;
  readonly metaPhoneNumberId: string;
  readonly sinchBotId: string;
}

/** A second account with its own key and one sender (its own Meta phone-number id and Sinch bot). */
export async function seedOtherAccount(server: TestServer, n = 1): Promise<OtherAccount> {
  const other: OtherAccount = {
    accountId: `acc-other-${n}`,
    apiKey: `other-key-000${n}`,
    sender: `44113496009${n}`,
    metaPhoneNumberId: `90000000000009${n}`,
    sinchBotId: `otherbot${n}`,
  };
  await addAccount(server.ctx.storage, {
    id: other.accountId,
    name: `Other ${n}`,
    apiKey: other.apiKey,
    businessVerified: false,
  });
  await server.ctx.storage.catalog.upsertSender({
    number: other.sender,
    accountId: other.accountId,
    wabaId: `10000000000009${n}`,
    aliases: { metaPhoneNumberId: other.metaPhoneNumberId, sinchBotId: other.sinchBotId },
  });
  return other;
}
