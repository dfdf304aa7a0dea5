/** The part of the `smpp` package (SMPP 3.4/5.0 client and server, untyped CommonJS) that OpenBSP uses. */
declare module "smpp" {
  import type { Server as NetServer } from "node:net";

  /** A decoded short_message or message_payload. */
  interface DecodedMessage {
    readonly message: string | Buffer;
    readonly udh?: Buffer[];
  }

  interface Pdu {
    readonly command: string;
    readonly command_status: number;
    readonly sequence_number: number;
    readonly system_id?: string;
    readonly password?: string;
    readonly source_addr?: string;
    readonly destination_addr?: string;
    readonly esm_class?: number;
    readonly registered_delivery?: number;
    readonly data_coding?: number;
    readonly short_message?: DecodedMessage | string | Buffer;
    readonly message_payload?: DecodedMessage | string | Buffer;
    readonly message_id?: string;
    readonly receipted_message_id?: string;
    readonly message_state?: number;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): Pdu;
  }

  interface Session {
    send(pdu: Pdu, onResponse?: (pdu: Pdu) => void, onSent?: (pdu: Pdu) => void): boolean;
    bind_transceiver(options: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
    submit_sm(options: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
    deliver_sm(options: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
    enquire_link(options?: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
    unbind(options?: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    on(event: string, listener: (pdu: Pdu) => void): this;
    on(event: "error", listener: (err: Error) => void): this;
    on(event: "close" | "connect", listener: () => void): this;
    once(event: string, listener: (...args: never[]) => void): this;
  }

  interface Server extends NetServer {
    readonly sessions: Session[];
  }

  interface Smpp {
    connect(options: { url: string; auto_enquire_link_period?: number }): Session;
    createServer(listener: (session: Session) => void): Server;
    readonly ESM_CLASS: { readonly MC_DELIVERY_RECEIPT: number };
    readonly MESSAGE_STATE: Readonly<Record<"DELIVERED" | "EXPIRED" | "UNDELIVERABLE" | "REJECTED", number>>;
    readonly errors: Readonly<Record<string, number>>;
  }

  const smpp: Smpp;
  export default smpp;
  export type { Pdu, Server, Session };
}
