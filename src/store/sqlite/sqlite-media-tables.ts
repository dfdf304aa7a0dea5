/** The media port on SQLite: uploaded media records (the bytes are files; see media/uploaded-media-files.ts). */
import type Database from "better-sqlite3";
import type { UploadedMedia } from "../../core/uploaded-media.ts";
import type { MediaStore } from "../media-store.ts";
import { toMedia } from "../table-rows.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;

export class SqliteMediaTables implements MediaStore {
  readonly #write: Write;
  readonly #stmt: ReturnType<typeof prepare>;

  constructor(db: Database.Database, write: Write) {
    this.#write = write;
    this.#stmt = prepare(db);
  }

  put(m: UploadedMedia): Promise<void> {
    return this.#write(() => {
      this.#stmt.insert.run(
        m.id,
        m.accountId,
        m.sender,
        m.mimeType,
        m.sha256,
        m.size,
        m.filename ?? null,
        m.origin,
        m.from ?? null,
        m.createdAt,
      );
    });
  }

  async get(id: string): Promise<UploadedMedia | undefined> {
    const r = this.#stmt.get.get(id) as Row | undefined;
    return r && toMedia(r);
  }

  delete(id: string): Promise<boolean> {
    return this.#write(() => this.#stmt.delete.run(id).changes === 1);
  }
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(
      "INSERT INTO uploaded_media (id, account_id, sender, mime_type, sha256, size, filename, origin, user_number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    get: db.prepare("SELECT * FROM uploaded_media WHERE id = ?"),
    delete: db.prepare("DELETE FROM uploaded_media WHERE id = ?"),
  };
}
