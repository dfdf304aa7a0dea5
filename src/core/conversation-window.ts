/**
 * The 24-hour customer-service window: a business may send free-form and interactive messages to a
 * user only within 24 hours of that user's last inbound message to the same sender number.
 */
import { DAY_MS } from "./clock.ts";

export const WINDOW_MS = DAY_MS;

/** Is the window open at `now`, given the user's last inbound message time (if any)? */
export function isWindowOpen(lastInboundAt: number | undefined, now: number): boolean {
  return lastInboundAt !== undefined && now < lastInboundAt + WINDOW_MS;
}
