/**
 * The envelope of every webhook of Meta's Cloud API (api-reference C.3):
 * `{"object":"whatsapp_business_account","entry":[{"id":<waba id>,"changes":[{"field","value"}]}]}`,
 * serialised as Meta does (non-ASCII as `\uXXXX`), so the signed bytes are the bytes clients check.
 */

export interface WebhookEnvelope<V = Record<string, unknown>> {
  readonly object: "whatsapp_business_account";
  readonly entry: readonly {
    readonly id: string;
    readonly changes: readonly { readonly field: string; readonly value: V }[];
  }[];
}

/** The change kinds OpenBSP posts: messages (statuses, inbound) and template reviews. */
export type WebhookField = "messages" | "message_template_status_update";

export function webhookEnvelope<V>(wabaId: string, field: WebhookField, value: V): WebhookEnvelope<V> {
  return { object: "whatsapp_business_account", entry: [{ id: wabaId, changes: [{ field, value }] }] };
}

/** Meta serialises non-ASCII as `\uXXXX`; signing those exact bytes keeps every client's check true. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
