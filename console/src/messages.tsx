/**
 * Messages: the live log of the account's outbound messages, newest first, filtered; only the rows
 * in view are in the page (virtualised), pages are fetched as the list scrolls. A message opens its
 * timeline and the webhook attempts for it (from the delivery log, when the server has one).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, fmtTime } from "./api.ts";
import { useLive } from "./bus.ts";
import type { Sender } from "./main.tsx";

const ROW = 34;
const PAGE = 200;
const STATUSES = ["accepted", "sent", "delivered", "seen", "failed", "expired"];
const FACES = ["infobip", "meta", "sinch"];

interface Row {
  seq: number;
  messageId: string;
  face: string;
  from: string;
  to: string;
  status: string;
  error?: { code: number; title: string; details?: string };
  content: { type: string; templateName?: string; text?: string };
  acceptedAt: string;
}
interface Filters {
  sender: string;
  recipient: string;
  status: string;
  face: string;
  since: string;
  until: string;
}

function query(f: Filters, extra: Record<string, string>): string {
  const q = new URLSearchParams(extra);
  if (f.sender) q.set("sender", f.sender);
  if (f.recipient) q.set("recipient", f.recipient.replace(/\D/g, ""));
  if (f.status) q.set("status", f.status);
  if (f.face) q.set("face", f.face);
  if (f.since) q.set("since", new Date(f.since).toISOString());
  if (f.until) q.set("until", new Date(f.until).toISOString());
  return q.toString();
}

const summary = (c: Row["content"]) =>
  c.type === "template"
    ? `template ${c.templateName}`
    : c.type === "text"
      ? (c.text ?? "").slice(0, 60)
      : c.type;

export function Messages({ senders }: { senders: readonly Sender[] }) {
  const [filters, setFilters] = useState<Filters>({
    sender: "",
    recipient: "",
    status: "",
    face: "",
    since: "",
    until: "",
  });
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<number | undefined>();
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [selected, setSelected] = useState<string | undefined>();
  const box = useRef<HTMLDivElement>(null);
  const loading = useRef(false);

  // Only the answer to the latest filters counts (typing sends one request per key).
  const latest = useRef(0);
  const first = () => {
    const asked = ++latest.current;
    return api<{ total: number; messages: Row[]; next?: number }>(
      `/openbsp/1/messages?${query(filters, { limit: String(PAGE) })}`,
    ).then((r) => {
      if (asked !== latest.current) return;
      setRows(r.messages);
      setTotal(r.total);
      setNext(r.next);
    });
  };
  useEffect(() => void first(), [filters]);
  useLive(
    () => {
      // Only the first page moves under a reader at the top; deeper down the rows stay where they are.
      if ((box.current?.scrollTop ?? 0) < ROW * 5) void first();
      else
        void api<{ total: number }>(`/openbsp/1/messages?${query(filters, { limit: "1" })}`).then((r) =>
          setTotal(r.total),
        );
    },
    (e) => e.type === "message",
    300,
  );
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight);
    measure();
    addEventListener("resize", measure);
    return () => removeEventListener("resize", measure);
  }, []);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    setTop(el.scrollTop);
    if (
      next !== undefined &&
      !loading.current &&
      el.scrollTop + el.clientHeight > rows.length * ROW - ROW * 50
    ) {
      loading.current = true;
      api<{ messages: Row[]; next?: number }>(
        `/openbsp/1/messages?${query(filters, { limit: String(PAGE), before: String(next) })}`,
      )
        .then((r) => {
          setRows((old) => [...old, ...r.messages]);
          setNext(r.next);
        })
        .finally(() => {
          loading.current = false;
        });
    }
  };

  const firstRow = Math.max(0, Math.floor(top / ROW) - 10);
  const lastRow = Math.min(rows.length, Math.ceil((top + height) / ROW) + 10);
  const set = (k: keyof Filters) => (e: { currentTarget: { value: string } }) =>
    setFilters({ ...filters, [k]: e.currentTarget.value });

  return (
    <div class="messages">
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Sender
          <select value={filters.sender} onChange={set("sender")}>
            <option value="">any</option>
            {senders.map((s) => (
              <option key={s.number} value={s.number}>
                {s.number}
              </option>
            ))}
          </select>
        </label>
        <label>
          Recipient <input value={filters.recipient} onInput={set("recipient")} inputMode="tel" />
        </label>
        <label>
          Status
          <select value={filters.status} onChange={set("status")}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Face
          <select value={filters.face} onChange={set("face")}>
            <option value="">any</option>
            {FACES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          From <input type="datetime-local" value={filters.since} onChange={set("since")} />
        </label>
        <label>
          Until <input type="datetime-local" value={filters.until} onChange={set("until")} />
        </label>
        <output aria-live="polite" class="count">
          {total.toLocaleString()} messages
        </output>
      </form>
      <div class="log-and-detail">
        <section class="log" ref={box} onScroll={onScroll} aria-label="Messages, newest first">
          <ul class="log-rows" style={{ height: `${rows.length * ROW}px` }}>
            {rows.slice(firstRow, lastRow).map((r, i) => (
              <li key={r.seq} style={{ top: `${(firstRow + i) * ROW}px`, height: `${ROW}px` }}>
                <button
                  type="button"
                  class={`log-row ${r.status}${selected === r.messageId ? " selected" : ""}`}
                  aria-pressed={selected === r.messageId}
                  data-message-id={r.messageId}
                  onClick={() => setSelected(r.messageId)}
                >
                  <span class="time">{fmtTime(r.acceptedAt)}</span>
                  <span class={`status ${r.status}`}>{r.status}</span>
                  <span class="face">{r.face}</span>
                  <span>
                    {r.from} → {r.to}
                  </span>
                  <span class="grow">{summary(r.content)}</span>
                  <span class="err">{r.error ? `${r.error.code} ${r.error.title}` : ""}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        {selected && <Detail messageId={selected} onClose={() => setSelected(undefined)} />}
      </div>
    </div>
  );
}

interface Detail {
  message: Row & { smsFailover?: { text: string }; callbackData?: string };
  timeline: { status: string; at: string; error?: { code: number; title: string; details?: string } }[];
}

/** One POST of one of the message's webhooks, as the console API's delivery log lists it. */
interface Attempt {
  eventId: string;
  url: string;
  at: string;
  status?: number;
  error?: string;
  latencyMs: number;
  ok: boolean;
}

function Detail({ messageId, onClose }: { messageId: string; onClose: () => void }) {
  const [detail, setDetail] = useState<Detail | undefined>();
  const [attempts, setAttempts] = useState<Attempt[] | "unavailable" | "forbidden" | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const base = `/openbsp/1/messages/${encodeURIComponent(messageId)}`;
  const load = () => {
    void api<Detail>(base).then(setDetail);
    api<{ attempts: Attempt[] }>(`${base}/webhook-attempts`).then(
      (b) => setAttempts(b.attempts),
      // A server without the delivery log (501), or a key the server no longer takes: say so.
      (err) =>
        setAttempts(
          err instanceof ApiError && [401, 403, 404, 501].includes(err.status)
            ? err.status === 401 || err.status === 403
              ? "forbidden"
              : "unavailable"
            : [],
        ),
    );
  };
  useEffect(load, [messageId]);
  useLive(load, (e) => (e.type === "message" && e.messageId === messageId) || e.type === "webhook");
  const replay = async (eventId: string) => {
    try {
      await api(`${base}/webhook-events/${encodeURIComponent(eventId)}/replay`, { method: "POST" });
      setNote(`Replayed ${eventId}`);
      load();
    } catch (err) {
      setNote((err as Error).message);
    }
  };
  return (
    <aside class="detail" aria-label={`Message ${messageId}`}>
      <header>
        <h2>{messageId}</h2>
        <button type="button" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      {detail && (
        <>
          <p>
            {detail.message.face} · {detail.message.from} → {detail.message.to}
            {detail.message.callbackData && ` · callbackData ${detail.message.callbackData}`}
          </p>
          <ol class="timeline" aria-label="Timeline">
            {detail.timeline.map((s) => (
              <li key={s.status} class={s.status}>
                <strong>{s.status === "seen" ? "read" : s.status}</strong>{" "}
                <time>{new Date(s.at).toLocaleString()}</time>
                {s.error && (
                  <div class="wa-error" role="note">
                    WhatsApp error {s.error.code}: {s.error.title}
                    {s.error.details && ` — ${s.error.details}`}
                  </div>
                )}
              </li>
            ))}
          </ol>
          {detail.message.smsFailover && <p>SMS failover: “{detail.message.smsFailover.text}”</p>}
          <details>
            <summary>Content</summary>
            <pre class="json">{JSON.stringify(detail.message.content, null, 2)}</pre>
          </details>
        </>
      )}
      <h3>Webhook attempts</h3>
      {attempts === "unavailable" && <p class="muted">delivery log not available</p>}
      {attempts === "forbidden" && <p class="muted">delivery log not available with this API key</p>}
      {Array.isArray(attempts) && attempts.length === 0 && <p class="muted">No attempts yet.</p>}
      {Array.isArray(attempts) && (
        <ul class="attempts">
          {attempts.map((a, i) => (
            <li key={i} class="attempt" data-event-id={a.eventId}>
              <div>
                <strong>{a.status ?? a.error ?? "no answer"}</strong> {a.url} <span>{a.latencyMs} ms</span>
              </div>
              <details>
                <summary>Request and response</summary>
                <pre class="json">{JSON.stringify(a, null, 2)}</pre>
              </details>
              <button type="button" onClick={() => void replay(a.eventId)}>
                Replay
              </button>
            </li>
          ))}
        </ul>
      )}
      {note && <p role="status">{note}</p>}
    </aside>
  );
}
