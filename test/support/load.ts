/**
 * Load for crash and shutdown tests: Infobip template sends of many messages per request over
 * kept-alive connections (as a load balancer's or an SDK's), each request's outcome recorded —
 * answered with a status, or failed with the connection error undici names. Only a 2xx means
 * accepted; a request in flight to a node that dies may fail, or may have been committed just
 * before (then its messages go out though it was never acknowledged).
 */
import { Agent } from "undici";
import { API_KEY, welcome } from "./harness.ts";

export type Outcome =
  | { readonly kind: "answered"; readonly status: number; readonly requestId: string; readonly node: string }
  | {
      readonly kind: "not-connected" | "reset";
      readonly requestId: string;
      readonly node: string;
      readonly code: string;
    };

/** Why fetch failed, as undici names it (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…). */
export function errorCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? String(err);
}

/** Kept-alive connections: the hard case for a drain, and what a load balancer holds. */
export const keptAlive = (connections: number) => new Agent({ connections, keepAliveTimeout: 60_000 });

/**
 * `count` template messages of request `requestId` (ids `<requestId>-<i>`), to `phoneOf(i)`;
 * the messages' ids name their request, so what the store or a phone holds maps back to it.
 */
export function templateRequest(requestId: string, count: number, phoneOf: (i: number) => string) {
  return {
    messages: Array.from({ length: count }, (_, i) =>
      welcome(phoneOf(i), { messageId: `${requestId}-${i}` }),
    ),
  };
}

/** The request's id of a message id made by templateRequest. */
export const requestOf = (messageId: string) => messageId.replace(/-\d+$/, "");

/** POSTs one template request to `baseUrl` through `agent`; never throws. */
export async function sendTemplates(
  baseUrl: string,
  node: string,
  agent: Agent,
  requestId: string,
  body: unknown,
): Promise<Outcome> {
  try {
    const res = await fetch(`${baseUrl}/whatsapp/1/message/template`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `App ${API_KEY}` },
      body: JSON.stringify(body),
      // @ts-expect-error undici's fetch takes a dispatcher
      dispatcher: agent,
    });
    await res.arrayBuffer();
    return { kind: "answered", status: res.status, requestId, node };
  } catch (err) {
    const code = errorCode(err);
    return { kind: code === "ECONNREFUSED" ? "not-connected" : "reset", requestId, node, code };
  }
}

/** Outcomes counted by kind: `200`, `503`, `reset:ECONNRESET`… */
export function tally(outcomes: readonly Outcome[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of outcomes) {
    const key = o.kind === "answered" ? String(o.status) : `${o.kind}:${o.code}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

export interface Load {
  /** Every request's outcome so far. */
  readonly outcomes: Outcome[];
  /** Stops sending; resolves once every client's last request is answered (or failed). */
  stop(): Promise<void>;
}

/**
 * `clients` loops, each sending template requests of `perRequest` messages to `baseUrl` one after
 * the other until stopped — or until its node refuses connections (it is gone). Request ids are
 * `<prefix>-<client>-<n>`; message `i` of request `n` goes to `phoneOf(n, i)`.
 */
export function startLoad(options: {
  readonly baseUrl: string;
  readonly node: string;
  readonly agent: Agent;
  readonly clients: number;
  readonly perRequest: number;
  readonly prefix: string;
  readonly phoneOf: (n: number, i: number) => string;
}): Load {
  const outcomes: Outcome[] = [];
  let stopped = false;
  let n = 0;
  const client = async (c: number) => {
    while (!stopped) {
      const r = n++;
      const id = `${options.prefix}-${c}-${r}`;
      const body = templateRequest(id, options.perRequest, (i) => options.phoneOf(r, i));
      const outcome = await sendTemplates(options.baseUrl, options.node, options.agent, id, body);
      outcomes.push(outcome);
      if (outcome.kind === "not-connected") return;
      if (outcome.kind === "reset") await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const running = Array.from({ length: options.clients }, (_, c) => client(c));
  return {
    outcomes,
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}

/** The ids of the messages of the requests answered 200. */
export function acceptedMessages(outcomes: readonly Outcome[], perRequest: number): string[] {
  return outcomes
    .filter((o) => o.kind === "answered" && o.status === 200)
    .flatMap((o) => Array.from({ length: perRequest }, (_, i) => `${o.requestId}-${i}`));
}
