/** A message a WhatsApp user sent to a business sender number. */
export type InboundContent =
  | { readonly type: "text"; readonly text: string }
  /** A template's quick-reply button was pressed. */
  | { readonly type: "button"; readonly text: string; readonly payload: string }
  /** A reply button of an interactive message was pressed. */
  | { readonly type: "button_reply"; readonly id: string; readonly title: string }
  /** A row of an interactive list was picked. */
  | { readonly type: "list_reply"; readonly id: string; readonly title: string; readonly description?: string };

export interface InboundMessage {
  readonly messageId: string;
  /** The business sender number the user wrote to. */
  readonly to: string;
  /** The user's number. */
  readonly from: string;
  readonly receivedAt: number;
  readonly content: InboundContent;
  readonly contactName?: string;
  /** The outbound message the user replied to (quoted), if any. */
  readonly contextMessageId?: string;
}
