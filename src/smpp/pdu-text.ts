/** The text of an SMPP PDU's `short_message` or `message_payload`, however the smpp package decoded it. */
import type { Pdu } from "smpp";

export const pduText = (v: Pdu["short_message"]): string =>
  v === undefined
    ? ""
    : typeof v === "string"
      ? v
      : Buffer.isBuffer(v)
        ? v.toString("latin1")
        : String(v.message);
