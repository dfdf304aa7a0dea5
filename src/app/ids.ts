/**
 * Identifiers. Message ids are UUIDv7: time-ordered, so rows inserted together land on the same
 * index pages (random UUIDv4 ids cost several times more page writes per commit).
 */
import { createHash, randomFillSync } from "node:crypto";

const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;
let lastMs = 0;
let counter = 0;

function randomBytes16(): Buffer {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return out;
}

/** A UUIDv7 string; monotonic within one process even when many are made in the same millisecond. */
export function uuidv7(now: number = Date.now()): string {
  const bytes = Buffer.from(randomBytes16());
  if (now <= lastMs) {
    counter = (counter + 1) & 0xfff;
    if (counter === 0) lastMs++;
  } else {
    lastMs = now;
    counter = bytes.readUInt16BE(6) & 0x3ff;
  }
  const ms = lastMs;
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const h = bytes.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A deterministic id from its inputs: the same inputs always give the same id. */
export function stableId(...parts: (string | number)[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

/** A WhatsApp-looking message id (`wamid.…`), deterministic in its inputs. */
export function wamid(...parts: (string | number)[]): string {
  return `wamid.${Buffer.from(stableId(...parts), "hex").toString("base64url")}`;
}
