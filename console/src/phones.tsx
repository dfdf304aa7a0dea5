/**
 * Phones: be the WhatsApp user. One chat per (business sender, user number): what the phone
 * received, rendered as WhatsApp shows it with its ticks, and what the user sent with the business's
 * read receipts; reply with text, a photo or file, a location, a reaction or a quote, tap buttons
 * and pick list rows, all through the sandbox API.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, fmtTime } from "./api.ts";
import { type Actions, BusinessContent, type TemplateObject, Ticks, UserContent } from "./bubble.tsx";
import { useLive } from "./bus.ts";
import type { Sender } from "./main.tsx";

const CHATS_STORE = "openbsp.chats";
const REACTIONS = ["👍", "❤️", "😂", "🙏"];

interface Chat {
  readonly sender: string;
  readonly user: string;
}
const chatKey = (c: Chat) => `${c.sender}:${c.user}`;

interface PhoneView {
  messages: {
    messageId: string;
    from: string;
    content: any;
    context?: { messageId: string };
    media?: any;
    state: "in_transit" | "delivered" | "read";
    receivedAt: string;
  }[];
  sent: { messageId: string; to: string; content: any; sentAt: string; readByBusinessAt?: string }[];
  typing: { sender: string; until: string }[];
}

type Line =
  | { kind: "in"; at: string; m: PhoneView["messages"][number] }
  | { kind: "out"; at: string; m: PhoneView["sent"][number] };

function savedChats(): Chat[] {
  try {
    return JSON.parse(localStorage.getItem(CHATS_STORE) ?? "[]") as Chat[];
  } catch {
    return [];
  }
}

/** The templates of a sender, by name and language, for rendering what the phone received. */
function useTemplates(sender: string | undefined) {
  const [templates, setTemplates] = useState<TemplateObject[]>([]);
  const load = () => {
    if (!sender) return;
    api<{ templates: TemplateObject[] }>(`/whatsapp/2/senders/${sender}/templates`).then(
      (r) => setTemplates(r.templates),
      () => setTemplates([]),
    );
  };
  useEffect(load, [sender]);
  useLive(load, (e) => e.type === "template");
  return templates;
}

export function Phones({ senders }: { senders: readonly Sender[] }) {
  const [chats, setChats] = useState<Chat[]>(savedChats());
  const [current, setCurrent] = useState<Chat | undefined>(chats[0]);
  const loadChats = () =>
    api<{ messages: { from: string; to: string }[] }>("/openbsp/1/messages?limit=500").then((r) => {
      setChats((known) => {
        const all = new Map(known.map((c) => [chatKey(c), c]));
        for (const m of r.messages) {
          const c = { sender: m.from, user: m.to };
          if (!all.has(chatKey(c))) all.set(chatKey(c), c);
        }
        const list = [...all.values()];
        setCurrent((cur) => cur ?? list[0]);
        return list;
      });
    });
  useEffect(() => void loadChats(), []);
  useLive(
    () => void loadChats(),
    (e) => e.type === "message" && e.status === "accepted",
  );

  const start = (c: Chat) => {
    const list = [c, ...chats.filter((x) => chatKey(x) !== chatKey(c))];
    const saved = [c, ...savedChats().filter((x) => chatKey(x) !== chatKey(c))];
    localStorage.setItem(CHATS_STORE, JSON.stringify(saved.slice(0, 50)));
    setChats(list);
    setCurrent(c);
  };

  return (
    <div class="phones">
      <aside class="chat-list" aria-label="Chats">
        <NewChat senders={senders} onStart={start} />
        <ul>
          {chats.map((c) => (
            <li key={chatKey(c)}>
              <button
                type="button"
                aria-current={current && chatKey(current) === chatKey(c) ? "true" : undefined}
                onClick={() => setCurrent(c)}
              >
                <strong>+{c.user}</strong>
                <small>with {c.sender}</small>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      {current ? (
        <ChatView key={chatKey(current)} chat={current} />
      ) : (
        <p class="empty">Start a chat from a number.</p>
      )}
    </div>
  );
}

function NewChat({ senders, onStart }: { senders: readonly Sender[]; onStart: (c: Chat) => void }) {
  const [sender, setSender] = useState(senders[0]?.number ?? "");
  const [user, setUser] = useState("");
  return (
    <form
      class="new-chat"
      onSubmit={(e) => {
        e.preventDefault();
        const digits = user.replace(/\D/g, "");
        if (digits.length >= 5) onStart({ sender, user: digits });
        setUser("");
      }}
    >
      <label>
        Business
        <select value={sender} onChange={(e) => setSender(e.currentTarget.value)}>
          {senders.map((s) => (
            <option key={s.number} value={s.number}>
              {s.number}
            </option>
          ))}
        </select>
      </label>
      <label>
        User number
        <input
          value={user}
          onInput={(e) => setUser(e.currentTarget.value)}
          placeholder="447700900001"
          inputMode="tel"
        />
      </label>
      <button type="submit">New chat</button>
    </form>
  );
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

function ChatView({ chat }: { chat: Chat }) {
  const [view, setView] = useState<PhoneView | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [text, setText] = useState("");
  const [quoting, setQuoting] = useState<{ messageId: string; text: string } | undefined>();
  const [locating, setLocating] = useState(false);
  const [flowOf, setFlowOf] = useState<any>();
  const templates = useTemplates(chat.sender);
  const end = useRef<HTMLDivElement>(null);
  const composer = useRef<HTMLInputElement>(null);

  const load = () =>
    api<PhoneView>(`/sandbox/phones/${chat.user}/messages`).then(
      (v) => setView(v),
      (err: Error) => setProblem(err.message),
    );
  useEffect(() => void load(), []);
  useLive(
    () => void load(),
    (e) => e.type === "message" || e.type === "inbound",
  );
  useEffect(() => end.current?.scrollIntoView({ block: "end" }), [view?.messages.length, view?.sent.length]);

  const lines = useMemo<Line[]>(() => {
    if (!view) return [];
    const all: Line[] = [
      ...view.messages
        .filter((m) => m.from === chat.sender)
        .map((m) => ({ kind: "in" as const, at: m.receivedAt, m })),
      ...view.sent
        .filter((m) => m.to === chat.sender && m.content.type !== "reaction")
        .map((m) => ({ kind: "out" as const, at: m.sentAt, m })),
    ];
    return all.sort((a, b) => a.at.localeCompare(b.at));
  }, [view, chat.sender]);
  const reactions = useMemo(() => {
    const out = new Map<string, string>();
    for (const m of view?.sent ?? [])
      if (m.content.type === "reaction") out.set(m.content.messageId, m.content.emoji);
    return out;
  }, [view]);

  const send = async (body: Record<string, unknown>) => {
    setProblem(undefined);
    try {
      await api(`/sandbox/phones/${chat.user}/messages`, {
        method: "POST",
        json: {
          to: chat.sender,
          ...body,
          ...(quoting && !body.context ? { context: { message_id: quoting.messageId } } : {}),
        },
      });
      setQuoting(undefined);
      await load();
    } catch (err) {
      setProblem((err as Error).message);
    }
  };
  const actionsFor = (m: PhoneView["messages"][number]): Actions => ({
    tap: (choice) =>
      choice.kind === "quick_reply"
        ? void send({
            type: "button",
            button: { payload: choice.id, text: choice.title },
            context: { message_id: m.messageId },
          })
        : void api(`/sandbox/phones/${chat.user}/replies`, {
            method: "POST",
            json: { messageId: m.messageId, choiceId: choice.id },
          }).then(load, (err: Error) => setProblem(err.message)),
    openFlow: () => setFlowOf(m),
  });
  const templateOf = (content: any) =>
    content.type === "template"
      ? templates.find((t) => t.name === content.templateName && t.language === content.language)
      : undefined;
  const typing = view?.typing.some((t) => t.sender === chat.sender);

  return (
    <section class="chat" aria-label={`Chat of +${chat.user} with ${chat.sender}`}>
      <header class="chat-head">
        <strong>{chat.sender}</strong>
        <span>{typing ? "typing…" : `as +${chat.user}`}</span>
      </header>
      <div class="thread" role="log" aria-live="polite">
        {lines.map((l) =>
          l.kind === "in" ? (
            <article
              class="bubble in"
              key={l.m.messageId}
              data-message-id={l.m.messageId}
              aria-label={`Message from ${chat.sender}`}
            >
              {l.m.context && <div class="quote">↪ {l.m.context.messageId}</div>}
              <BusinessContent
                content={l.m.content}
                {...(templateOf(l.m.content) ? { template: templateOf(l.m.content) } : {})}
                media={l.m.media}
                act={actionsFor(l.m)}
              />
              <footer>
                {reactions.get(l.m.messageId) && <span class="reaction">{reactions.get(l.m.messageId)}</span>}
                <time>{fmtTime(l.m.receivedAt)}</time>
                <Ticks
                  state={l.m.state === "read" ? "read" : l.m.state === "delivered" ? "delivered" : "sent"}
                />
              </footer>
              <div class="bubble-tools">
                <button
                  type="button"
                  onClick={() => {
                    setQuoting({ messageId: l.m.messageId, text: JSON.stringify(l.m.content).slice(0, 60) });
                    composer.current?.focus();
                  }}
                >
                  Reply
                </button>
                {REACTIONS.map((r) => (
                  <button
                    type="button"
                    key={r}
                    aria-label={`React ${r}`}
                    onClick={() =>
                      void send({ type: "reaction", reaction: { message_id: l.m.messageId, emoji: r } })
                    }
                  >
                    {r}
                  </button>
                ))}
              </div>
            </article>
          ) : (
            <article
              class="bubble out"
              key={l.m.messageId}
              data-message-id={l.m.messageId}
              aria-label="Message you sent"
            >
              <UserContent content={l.m.content} sender={chat.sender} />
              <footer>
                <time>{fmtTime(l.m.sentAt)}</time>
                <Ticks state={l.m.readByBusinessAt ? "read" : "delivered"} />
              </footer>
            </article>
          ),
        )}
        <div ref={end} />
      </div>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      {quoting && (
        <div class="quoting">
          Replying to {quoting.messageId}{" "}
          <button type="button" onClick={() => setQuoting(undefined)} aria-label="Cancel reply">
            ✕
          </button>
        </div>
      )}
      {locating && (
        <LocationForm
          onSend={(loc) => void send({ type: "location", location: loc }).then(() => setLocating(false))}
        />
      )}
      {flowOf && (
        <FlowForm
          message={flowOf}
          onClose={() => setFlowOf(undefined)}
          onSend={(json) =>
            void send({
              type: "interactive",
              interactive: {
                type: "nfm_reply",
                nfm_reply: { response_json: json, body: "Sent", name: "flow" },
              },
              context: { message_id: flowOf.messageId },
            }).then(() => setFlowOf(undefined))
          }
        />
      )}
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) return;
          void send({ type: "text", text: { body: text } });
          setText("");
        }}
      >
        <label class="attach">
          <span class="visually-hidden">Send a photo or file</span>
          <span aria-hidden="true">Attach</span>
          <input
            type="file"
            onChange={async (e) => {
              const file = e.currentTarget.files?.[0];
              if (!file) return;
              const kind = file.type.startsWith("image/")
                ? "image"
                : file.type.startsWith("video/")
                  ? "video"
                  : "document";
              const data = await readBase64(file);
              void send({
                type: kind,
                [kind]: {
                  data,
                  mime_type: file.type || "application/octet-stream",
                  ...(kind === "document" ? { filename: file.name } : {}),
                },
              });
              e.currentTarget.value = "";
            }}
          />
        </label>
        <button type="button" aria-expanded={locating} onClick={() => setLocating(!locating)}>
          Location
        </button>
        <label class="grow">
          <span class="visually-hidden">Message</span>
          <input
            ref={composer}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            placeholder="Message"
          />
        </label>
        <button type="submit">Send</button>
      </form>
    </section>
  );
}

function LocationForm({
  onSend,
}: {
  onSend: (l: { latitude: number; longitude: number; name?: string }) => void;
}) {
  const [lat, setLat] = useState("51.5072");
  const [lng, setLng] = useState("-0.1276");
  const [name, setName] = useState("");
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSend({ latitude: Number(lat), longitude: Number(lng), ...(name ? { name } : {}) });
      }}
    >
      <label>
        Latitude <input value={lat} onInput={(e) => setLat(e.currentTarget.value)} inputMode="decimal" />
      </label>
      <label>
        Longitude <input value={lng} onInput={(e) => setLng(e.currentTarget.value)} inputMode="decimal" />
      </label>
      <label>
        Name <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <button type="submit">Send location</button>
    </form>
  );
}

/** A flow completed as a form: its answer as the JSON the flow would produce (with its flow token). */
function FlowForm({
  message,
  onSend,
  onClose,
}: {
  message: any;
  onSend: (json: string) => void;
  onClose: () => void;
}) {
  const token =
    message.content.flowToken ??
    message.content.buttons?.find?.((b: any) => b.flowToken)?.flowToken ??
    "unused";
  const [json, setJson] = useState(JSON.stringify({ flow_token: token }, null, 2));
  const valid = (() => {
    try {
      JSON.parse(json);
      return true;
    } catch {
      return false;
    }
  })();
  return (
    <form
      class="inline-form flow-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onSend(json);
      }}
    >
      <label>
        The flow's answer (JSON)
        <textarea
          rows={5}
          value={json}
          onInput={(e) => setJson(e.currentTarget.value)}
          aria-invalid={!valid}
        />
      </label>
      <button type="submit" disabled={!valid}>
        Complete the flow
      </button>
      <button type="button" onClick={onClose}>
        Cancel
      </button>
    </form>
  );
}
