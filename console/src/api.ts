/**
 * The console talks to OpenBSP's own APIs only: the faces (as a client would), the sandbox API (as
 * the WhatsApp user) and /openbsp/1 (the log, the figures, the live stream). The API key comes in
 * the URL's fragment (`#key=…`, never sent to the server) and is kept in this browser.
 */

const KEY_STORE = "openbsp.apiKey";

export function apiKey(): string {
  const fromHash = /(?:^#|&)key=([^&]+)/.exec(location.hash)?.[1];
  if (fromHash) {
    localStorage.setItem(KEY_STORE, decodeURIComponent(fromHash));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return localStorage.getItem(KEY_STORE) ?? "";
}

export function setApiKey(key: string): void {
  localStorage.setItem(KEY_STORE, key);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(errorText(status, body));
  }
}

/** The words of an error body in any of the faces' formats. */
function errorText(status: number, body: unknown): string {
  const b = body as Record<string, any> | undefined;
  const text =
    b?.requestError?.serviceException?.text ??
    b?.error?.message ??
    (typeof b?.error === "string" ? b.error : undefined) ??
    b?.errorMessage ??
    b?.message;
  const violations = b?.requestError?.serviceException?.validationErrors;
  const detail = violations ? ` ${JSON.stringify(violations)}` : "";
  return `HTTP ${status}${text ? `: ${text}` : ""}${detail}`;
}

export async function api<T = any>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const key = apiKey();
  if (key && !headers.has("authorization")) headers.set("authorization", `App ${key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const res = await fetch(path, { ...init, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed as T;
}

/** Bytes the API key guards (a user's photo), as a URL an <img> can show. */
export async function blobUrl(path: string): Promise<string> {
  const res = await fetch(path, { headers: { authorization: `App ${apiKey()}` } });
  if (!res.ok) throw new ApiError(res.status, undefined);
  return URL.createObjectURL(await res.blob());
}

export interface LiveEvent {
  readonly type: string;
  readonly [field: string]: any;
}

/**
 * The live event stream (Server-Sent Events, read with fetch so the key travels in a header, not
 * the URL); reconnects after a second when it drops. Returns a function that stops it.
 */
export function live(onEvent: (e: LiveEvent) => void, onState: (connected: boolean) => void): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const res = await fetch("/openbsp/1/events", {
          headers: { authorization: `App ${apiKey()}`, accept: "text/event-stream" },
          signal: controller.signal,
        });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        onState(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            const chunk = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = chunk
              .split("\n")
              .filter((l) => l.startsWith("data: "))
              .map((l) => l.slice(6))
              .join("\n");
            const type = /^event: (.*)$/m.exec(chunk)?.[1];
            if (data && type) onEvent({ ...JSON.parse(data), type });
            end = buffer.indexOf("\n\n");
          }
        }
      } catch {
        // dropped or refused: try again shortly
      }
      onState(false);
      if (!stopped) await new Promise((r) => setTimeout(r, 1000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

export const fmtTime = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "";
