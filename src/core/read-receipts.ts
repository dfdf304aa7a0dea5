/**
 * What a business shows in a user's chat besides messages: blue ticks on the user's messages it
 * read, and a typing indicator while it prepares an answer (Meta's "mark as read" and "typing
 * indicators"; Infobip and Sinch pass both on to WhatsApp).
 */

/** WhatsApp dismisses a typing indicator after 25 s, or when the business's next message arrives. */
export const TYPING_INDICATOR_MS = 25_000;

/** A user's message can be marked read for 30 days after it arrived. */
export const READ_RECEIPT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
