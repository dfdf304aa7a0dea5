/**
 * The WhatsApp errors OpenBSP produces itself, in Meta's numbering. Faces map them to their own
 * dialect (Infobip error ids, Sinch states, Meta error objects).
 */
import type { WhatsAppError } from "./message-status.ts";

export const WA = {
  windowClosed: {
    code: 131047,
    title: "Re-engagement message",
    details: "More than 24 hours have passed since the recipient last replied to the sender number.",
  },
  notWhatsAppUser: {
    code: 131026,
    title: "Message undeliverable",
    details: "The recipient is not a WhatsApp user.",
  },
  unknown: { code: 131000, title: "Something went wrong" },
} as const satisfies Record<string, WhatsAppError>;
