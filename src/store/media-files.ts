/**
 * The port for media bytes (uploaded media today, inbound media next): files kept beside the
 * database by `media/uploaded-media-files.ts`; a shared directory or a bucket for several nodes.
 * Use cases write through it and never touch a path.
 */
import type { Readable } from "node:stream";

/** Bytes received and hashed, waiting under a temporary name until kept or discarded. */
export interface StoredBytes {
  readonly sha256: string;
  readonly size: number;
  /** Where the bytes wait until `keep` names them. */
  readonly tempPath: string;
}

export interface MediaFiles {
  /** Streams `input` to a temporary file, hashing it; stops (and removes it) past `maxBytes`. */
  receive(input: Readable, maxBytes: number): Promise<StoredBytes | "too-large">;
  /** Keeps received bytes under the media id (durably: a record never points at half a file). */
  keep(bytes: StoredBytes, id: string): Promise<void>;
  discard(bytes: StoredBytes): Promise<void>;
  read(id: string): Readable;
  remove(id: string): Promise<void>;
}
