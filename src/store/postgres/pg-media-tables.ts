/** The media port on PostgreSQL: uploaded and inbound media records (the bytes are files). */
import type { Pool } from "pg";
import type { UploadedMedia } from "../../core/uploaded-media.ts";
import type { MediaStore } from "../media-store.ts";
import { toMedia } from "../table-rows.ts";
import type { PgGroupCommit } from "./pg-group-commit.ts";

export class PgMediaTables implements MediaStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
  ) {}

  put(m: UploadedMedia): Promise<void> {
    return this.group.write(async (tx) => {
      await tx.query(
        `INSERT INTO uploaded_media (id, account_id, sender, mime_type, sha256, size, filename, origin, user_number, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
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
        ],
      );
    });
  }

  async get(id: string): Promise<UploadedMedia | undefined> {
    const { rows } = await this.pool.query("SELECT * FROM uploaded_media WHERE id = $1", [id]);
    return rows[0] && toMedia(rows[0]);
  }

  delete(id: string): Promise<boolean> {
    return this.group.write(
      async (tx) => (await tx.query("DELETE FROM uploaded_media WHERE id = $1", [id])).rowCount === 1,
    );
  }
}
