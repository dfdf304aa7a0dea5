/** Records of uploaded media (the bytes are files; see media/uploaded-media-files.ts). */
import type { UploadedMedia } from "../core/uploaded-media.ts";

export interface MediaStore {
  put(media: UploadedMedia): Promise<void>;
  get(id: string): Promise<UploadedMedia | undefined>;
  /** False when there was no such record. */
  delete(id: string): Promise<boolean>;
}
