/**
 * Interactive messages the user answers with a tap: up to three reply buttons, or a list of rows
 * in sections. Sent only inside the customer-service window.
 */
export type InteractiveHeader =
  | { readonly type: "TEXT"; readonly text: string }
  | { readonly type: "IMAGE" | "VIDEO"; readonly mediaUrl: string }
  | { readonly type: "DOCUMENT"; readonly mediaUrl: string; readonly filename?: string };

export interface ReplyButton {
  readonly id: string;
  readonly title: string;
}

export interface ButtonsContent {
  readonly type: "interactive_buttons";
  readonly body: string;
  readonly header?: InteractiveHeader;
  readonly footer?: string;
  readonly buttons: readonly ReplyButton[];
}

export interface ListRow {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
}

export interface ListContent {
  readonly type: "interactive_list";
  readonly body: string;
  readonly header?: { readonly type: "TEXT"; readonly text: string };
  readonly footer?: string;
  /** The label of the button that opens the list. */
  readonly buttonTitle: string;
  readonly sections: readonly { readonly title?: string; readonly rows: readonly ListRow[] }[];
}

export type InteractiveContent = ButtonsContent | ListContent;
