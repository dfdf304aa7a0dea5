/**
 * A stand-in for a real, external SMSC: an SMPP server (the `smpp` package's) that records binds
 * and submit_sm, and either answers them or leaves them unanswered (an SMSC that hangs), so tests
 * can point OPENBSP_SMPP_URL at it.
 */
import type { AddressInfo } from "node:net";
import smpp, { type Pdu, type Server } from "smpp";

export interface FakeSubmit {
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

export class FakeSmsc {
  readonly binds: { systemId: string; password: string }[] = [];
  readonly submits: FakeSubmit[] = [];
  /** false: submit_sm gets no answer at all. */
  answer = true;
  #server: Server | undefined;

  get url(): string {
    const address = this.#server?.address() as AddressInfo | undefined;
    return `smpp://127.0.0.1:${address?.port}`;
  }

  async start(): Promise<this> {
    const server = smpp.createServer((session) => {
      session.on("error", () => {});
      session.on("bind_transceiver", (pdu) => {
        this.binds.push({ systemId: String(pdu.system_id), password: String(pdu.password) });
        session.send(pdu.response());
      });
      session.on("enquire_link", (pdu) => session.send(pdu.response()));
      session.on("submit_sm", (pdu: Pdu) => {
        const body = pdu.short_message ?? pdu.message_payload;
        const text =
          typeof body === "object" && body !== null && "message" in body
            ? String(body.message)
            : String(body);
        this.submits.push({ from: String(pdu.source_addr), to: String(pdu.destination_addr), text });
        if (this.answer) session.send(pdu.response({ message_id: `fake-${this.submits.length}` }));
      });
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    for (const s of [...server.sessions]) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
