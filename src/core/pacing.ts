/**
 * A sender number's throughput tier, as WhatsApp paces it (Meta: 80 messages/s by default, up to
 * 1,000 after upgrade). Cloud API refuses a send over the tier at once (130429); a BSP such as
 * Infobip or Sinch accepts it and delivers at the number's pace, so its messages wait, PENDING,
 * for a send slot. Slots are spaced evenly (1000 / tier ms) and taken in claim order. Pure.
 */
export const DEFAULT_THROUGHPUT_MPS = 80;

/** The tier the dispatcher sends a sender's messages at; 0 is unpaced. */
export function throughputOf(sender: { readonly throughputMps?: number }): number {
  return sender.throughputMps ?? DEFAULT_THROUGHPUT_MPS;
}

export interface Slot {
  /** When the message may go to the carrier. */
  readonly slotAt: number;
  /** Where the sender's next slot starts. */
  readonly nextSlotAt: number;
}

/** The next send slot of a sender paced at `mps` (> 0), given where its next slot starts. */
export function takeSlot(nextSlotAt: number | undefined, mps: number, now: number): Slot {
  const slotAt = Math.max(now, nextSlotAt ?? now);
  return { slotAt, nextSlotAt: slotAt + 1000 / mps };
}

/**
 * What a dialect's provider does with a send over the number's tier: refuse it at accept with
 * 130429 (Cloud API), or accept it and let it wait for its slot (a BSP: Infobip, Sinch).
 */
export type OverThroughput = "refuse" | "queue";
