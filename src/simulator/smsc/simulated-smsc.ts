/**
 * The simulated SMSC, the embedded default for SMS: a real SMPP 3.4 server on loopback that takes
 * transceiver binds (with the configured system id and password), accepts submit_sm, logs each SMS
 * in the store (what the sandbox API shows) and answers with a deliver_sm delivery receipt. Every
 * number receives at once unless an SMSC rule says it is undeliverable or that the SMSC refuses it.
 * A receipt stays owed until the client acknowledges it, and is sent again on its next bind, so
 * a restart between the two loses no receipt.
 */
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import smpp, { type Pdu, type Server, type Session } from "smpp";
import { uuidv7 } from "../../app/ids.ts";
import type { Clock } from "../../core/clock.ts";
// The SMPP wire helpers are the carrier's: the simulated SMSC speaks the protocol the client does.
import { formatReceipt } from "../../smpp/delivery-receipt.ts";
import { pduText } from "../../smpp/pdu-text.ts";
import { ruleFor } from "../number-pattern.ts";
import type { SmscMessage } from "./smsc-message.ts";
import type { SmscRule } from "./smsc-rule.ts";
import type { SmscStore } from "./smsc-store.ts";

export interface SmscCredentials {
  readonly systemId: string;
  readonly password: string;
}

/** The error a receipt carries for an undeliverable number unless its rule names one (GSM: unknown subscriber). */
const UNKNOWN_SUBSCRIBER = 1;
const RECEIPT_RETRY_MS = 1000;

export class SimulatedSmsc {
  #server: Server | undefined;
  /** Sessions bound as transceiver or receiver, by system id: where receipts go. */
  readonly #receivers = new Map<Session, string>();

  constructor(
    private readonly deps: { readonly store: SmscStore; readonly clock: Clock; readonly log: Logger },
    private readonly credentials: SmscCredentials,
  ) {}

  /** Listens on a free loopback port; resolves with the `smpp://` URL to bind to. */
  async start(): Promise<string> {
    const server = smpp.createServer((session) => this.#accept(session));
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `smpp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    for (const s of [...server.sessions]) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(session: Session): void {
    let bound: string | undefined;
    session.on("error", (err: Error) =>
      this.deps.log.debug({ err: err.message }, "simulated SMSC: session error"),
    );
    session.on("close", () => this.#receivers.delete(session));
    for (const command of ["bind_transceiver", "bind_receiver", "bind_transmitter"]) {
      session.on(command, (pdu) => {
        const ok =
          pdu.system_id === this.credentials.systemId && (pdu.password ?? "") === this.credentials.password;
        if (!ok || bound) {
          session.send(
            pdu.response({ command_status: bound ? smpp.errors.ESME_RALYBND : smpp.errors.ESME_RBINDFAIL }),
          );
          return;
        }
        bound = String(pdu.system_id);
        session.send(pdu.response({ system_id: "openbsp-smsc" }));
        if (command !== "bind_transmitter") {
          this.#receivers.set(session, bound);
          void this.#resendOwedReceipts(session, bound);
        }
      });
    }
    session.on("submit_sm", (pdu) => {
      if (!bound) session.send(pdu.response({ command_status: smpp.errors.ESME_RINVBNDSTS }));
      else void this.#submit(session, bound, pdu);
    });
    session.on("enquire_link", (pdu) => session.send(pdu.response()));
    session.on("unbind", (pdu) => {
      session.send(pdu.response());
      session.close();
    });
  }

  async #submit(session: Session, systemId: string, pdu: Pdu): Promise<void> {
    let message: SmscMessage;
    let rule: SmscRule | undefined;
    try {
      const to = String(pdu.destination_addr ?? "");
      rule = ruleFor(await this.deps.store.listSmscRules(), to);
      const behaviour = rule?.behaviour ?? "deliver";
      const wantsReceipt = ((pdu.registered_delivery ?? 0) & 0x03) !== 0;
      const now = this.deps.clock.now();
      message = {
        id: uuidv7(now).replace(/-/g, ""),
        systemId,
        from: String(pdu.source_addr ?? ""),
        to,
        text: pduText(pdu.short_message) || pduText(pdu.message_payload),
        dataCoding: pdu.data_coding ?? 0,
        outcome:
          behaviour === "reject" ? "rejected" : behaviour === "undeliverable" ? "undeliverable" : "delivered",
        receivedAt: now,
        receipt: behaviour !== "reject" && wantsReceipt ? "pending" : "none",
      };
      await this.deps.store.putSmscMessage(message);
      if (behaviour === "reject") {
        session.send(pdu.response({ command_status: smpp.errors.ESME_RINVDSTADR }));
        return;
      }
      session.send(pdu.response({ message_id: message.id }));
    } catch (err) {
      this.deps.log.error({ err }, "simulated SMSC: submit_sm failed");
      session.send(pdu.response({ command_status: smpp.errors.ESME_RSYSERR }));
      return;
    }
    if (message.receipt === "pending") this.#sendReceipt(session, message, rule?.errorCode);
  }

  async #resendOwedReceipts(session: Session, systemId: string): Promise<void> {
    const rules = await this.deps.store.listSmscRules();
    for (const m of await this.deps.store.pendingSmscReceipts(systemId))
      this.#sendReceipt(session, m, ruleFor(rules, m.to)?.errorCode);
  }

  #sendReceipt(session: Session, m: SmscMessage, ruleErrorCode: number | undefined): void {
    const delivered = m.outcome === "delivered";
    const errorCode = delivered ? 0 : (ruleErrorCode ?? UNKNOWN_SUBSCRIBER);
    const receipt = formatReceipt({
      smscId: m.id,
      stat: delivered ? "DELIVRD" : "UNDELIV",
      errorCode,
      submittedAt: m.receivedAt,
      doneAt: this.deps.clock.now(),
      text: m.text,
    });
    const owe = () =>
      setTimeout(() => {
        if (this.#receivers.has(session)) this.#sendReceipt(session, m, ruleErrorCode);
      }, RECEIPT_RETRY_MS).unref();
    try {
      this.#deliverReceipt(session, m, receipt, delivered, owe);
    } catch (err) {
      this.deps.log.error({ err }, "simulated SMSC: cannot send a receipt");
    }
  }

  #deliverReceipt(
    session: Session,
    m: SmscMessage,
    receipt: string,
    delivered: boolean,
    owe: () => void,
  ): void {
    session.deliver_sm(
      {
        source_addr: m.to,
        destination_addr: m.from,
        esm_class: smpp.ESM_CLASS.MC_DELIVERY_RECEIPT,
        short_message: receipt,
        receipted_message_id: m.id,
        message_state: delivered ? smpp.MESSAGE_STATE.DELIVERED : smpp.MESSAGE_STATE.UNDELIVERABLE,
      },
      (resp) => {
        if (resp.command_status === 0) {
          this.deps.store
            .smscReceiptAcknowledged(m.id)
            .catch((err: unknown) => this.deps.log.error({ err }, "simulated SMSC"));
          return;
        }
        // Refused (the client could not store it): offer it again shortly, as SMSCs do.
        owe();
      },
    );
  }
}
