/**
 * The bytes of uploaded media, as files beside the database (`<data dir>/media/<id>`): written to
 * a temporary name while hashed, fsync'd, then renamed, so a record never points at half a file.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, type ReadStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { MediaFiles, StoredBytes } from "../store/media-files.ts";

/** Where OpenBSP serves uploaded media (`?mid=<id>`), as Meta's media URLs do. */
export const UPLOADED_MEDIA_PATH = "/whatsapp_business/attachments/";

/** The uploaded-media id a link to OpenBSP's own download path names, if it is one. */
export function uploadedMediaIdOf(link: string): string | undefined {
  try {
    const url = new URL(link);
    const mid = url.searchParams.get("mid");
    return url.pathname === UPLOADED_MEDIA_PATH && mid && /^\d{1,20}$/.test(mid) ? mid : undefined;
  } catch {
    return undefined;
  }
}

export class UploadedMediaFiles implements MediaFiles {
  readonly #dir: string;

  /** `dir`: the media directory (OPENBSP_MEDIA_DIR; shared by every node of a cluster). */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Streams `input` to a temporary file, hashing it; stops (and removes it) past `maxBytes`. */
  async receive(input: Readable, maxBytes: number): Promise<StoredBytes | "too-large"> {
    await mkdir(this.#dir, { recursive: true });
    const tempPath = join(this.#dir, `.upload-${randomBytes(8).toString("hex")}`);
    const file = await open(tempPath, "w");
    const hash = createHash("sha256");
    let size = 0;
    try {
      for await (const chunk of input) {
        const bytes = chunk as Buffer;
        size += bytes.length;
        if (size > maxBytes) {
          input.resume();
          await file.close();
          await rm(tempPath, { force: true });
          return "too-large";
        }
        hash.update(bytes);
        await file.write(bytes);
      }
      await file.sync();
    } catch (err) {
      // The input broke off (a link's download failed): no half file is left behind.
      await file.close().catch(() => undefined);
      await rm(tempPath, { force: true });
      throw err;
    } finally {
      await file.close().catch(() => undefined);
    }
    return { sha256: hash.digest("hex"), size, tempPath };
  }

  async keep(bytes: StoredBytes, id: string): Promise<void> {
    await rename(bytes.tempPath, this.path(id));
  }

  async discard(bytes: StoredBytes): Promise<void> {
    await rm(bytes.tempPath, { force: true });
  }

  read(id: string): ReadStream {
    return createReadStream(this.path(id));
  }

  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }

  path(id: string): string {
    return join(this.#dir, id.replace(/\D/g, ""));
  }
}
