/**
 * A message as the WhatsApp user sees it: every content type the core sends (templates filled in
 * from their registered structure, interactive messages with their buttons and lists, media,
 * location, contacts, orders, flows) and every type a user sends back.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { blobUrl } from "./api.ts";

/** A registered template as Infobip's face lists it (templates v2). */
export interface TemplateObject {
  readonly id: string;
  readonly name: string;
  readonly language: string;
  readonly status: string;
  readonly category: string;
  readonly structure: {
    readonly header?: { readonly format: string; readonly text?: string; readonly example?: string };
    readonly body: { readonly text: string; readonly examples?: readonly string[] };
    readonly footer?: { readonly text: string };
    readonly buttons?: readonly {
      readonly type?: string;
      readonly text?: string;
      readonly url?: string;
      readonly phoneNumber?: string;
    }[];
    readonly carousel?: { readonly cards: readonly any[] };
    readonly limitedTimeOffer?: { readonly text: string };
  };
}

/** `{{1}}`… replaced by the values, in order; a missing one stays visible. */
export function fill(text: string, values: readonly string[] | undefined): string {
  return text.replace(/\{\{\s*(\d+)\s*\}\}/g, (all, n) => values?.[Number(n) - 1] ?? all);
}

function Media({
  kind,
  url,
  caption,
  filename,
}: {
  kind: string;
  url?: string;
  caption?: string;
  filename?: string;
}) {
  if (!url) return <div class="media-missing">[{kind}]</div>;
  return (
    <figure class="media">
      {(kind === "image" || kind === "sticker" || kind === "IMAGE" || kind === "GIF") && (
        <img src={url} alt={caption ?? `${kind} from the business`} loading="lazy" />
      )}
      {(kind === "video" || kind === "VIDEO") && (
        <video src={url} controls preload="none" aria-label="video">
          <track kind="captions" />
        </video>
      )}
      {kind === "audio" && (
        <audio src={url} controls preload="none" aria-label="audio">
          <track kind="captions" />
        </audio>
      )}
      {(kind === "document" || kind === "DOCUMENT") && (
        <a class="file" href={url} target="_blank" rel="noreferrer">
          📄 {filename ?? url.split("/").pop()}
        </a>
      )}
      {caption && <figcaption>{caption}</figcaption>}
    </figure>
  );
}

function Location({ latitude, longitude, name, address }: any) {
  return (
    <div class="location">
      <div class="map" aria-hidden="true">
        📍
      </div>
      <strong>{name ?? "Location"}</strong>
      {address && <div>{address}</div>}
      <small>
        {Number(latitude).toFixed(5)}, {Number(longitude).toFixed(5)}
      </small>
    </div>
  );
}

function Contacts({ contacts }: { contacts: readonly any[] }) {
  return (
    <ul class="contacts">
      {contacts.map((c, i) => (
        <li key={i}>
          👤 <strong>{c.name?.formattedName ?? c.name?.formatted_name}</strong>
          {(c.phones ?? []).map((p: any) => (
            <div key={p.phone}>{p.phone}</div>
          ))}
        </li>
      ))}
    </ul>
  );
}

/** What the user can do with a message: tap a button, pick a row, open a flow. */
export interface Actions {
  readonly tap?: (choice: { id: string; title: string; kind: "reply" | "quick_reply" }) => void;
  readonly openFlow?: () => void;
}

function Buttons({ children }: { children: ComponentChildren }) {
  return <div class="buttons">{children}</div>;
}

function ListPicker({ content, act }: { content: any; act: Actions }) {
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<string | undefined>();
  const rows = content.sections.flatMap((s: any) => s.rows) as { id: string; title: string }[];
  return (
    <>
      <Buttons>
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
          ☰ {content.buttonTitle}
        </button>
      </Buttons>
      {open && (
        <fieldset class="list">
          <legend>{content.buttonTitle}</legend>
          {content.sections.map((s: any, i: number) => (
            <div key={i}>
              {s.title && <div class="section-title">{s.title}</div>}
              {s.rows.map((r: any) => (
                <label key={r.id} class="row">
                  <input
                    type="radio"
                    name={`list-${content.body}`}
                    value={r.id}
                    onChange={() => setPicked(r.id)}
                  />
                  <span>
                    {r.title}
                    {r.description && <small>{r.description}</small>}
                  </span>
                </label>
              ))}
            </div>
          ))}
          <button
            type="button"
            disabled={!picked}
            onClick={() => {
              const row = rows.find((r) => r.id === picked);
              if (row) act.tap?.({ id: row.id, title: row.title, kind: "reply" });
              setOpen(false);
            }}
          >
            Send
          </button>
        </fieldset>
      )}
    </>
  );
}

function TemplateBody({
  content,
  template,
  media,
}: {
  content: any;
  template?: TemplateObject;
  media?: any;
}) {
  if (!template)
    return (
      <div>
        <em>Template {content.templateName}</em> ({content.language}):{" "}
        {(content.bodyPlaceholders ?? []).join(", ")}
      </div>
    );
  const s = template.structure;
  const header = content.header;
  return (
    <>
      {s.header?.format === "TEXT" && (
        <div class="header">{fill(s.header.text ?? "", [header?.placeholder ?? ""])}</div>
      )}
      {s.header && s.header.format !== "TEXT" && s.header.format !== "LOCATION" && (
        <Media kind={s.header.format} url={media?.url ?? header?.mediaUrl} filename={header?.filename} />
      )}
      {s.header?.format === "LOCATION" && header && <Location {...header} />}
      {s.limitedTimeOffer && <div class="offer">🏷 {s.limitedTimeOffer.text}</div>}
      <div class="text">{fill(s.body.text, content.bodyPlaceholders)}</div>
      {s.footer && <div class="footer">{s.footer.text}</div>}
      {s.carousel && (
        <ul class="carousel">
          {s.carousel.cards.map((card: any, i: number) => (
            <li class="card" key={i}>
              {card.header && (
                <Media kind={card.header.format} url={content.carousel?.[i]?.header?.mediaUrl} />
              )}
              {card.body && <div>{fill(card.body.text, content.carousel?.[i]?.bodyPlaceholders)}</div>}
              {(card.buttons ?? []).map((b: any, j: number) => (
                <div class="card-button" key={j}>
                  {b.text}
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function TemplateButtons({
  template,
  content,
  act,
}: {
  template?: TemplateObject;
  content: any;
  act: Actions;
}) {
  const buttons = template?.structure.buttons ?? [];
  if (buttons.length === 0) return null;
  // A quick reply's payload is the value the send gave the n-th QUICK_REPLY button.
  const payloads = (content.buttons ?? [])
    .filter((b: any) => b.type === "QUICK_REPLY")
    .map((b: any) => b.parameter);
  const payloadOf = (i: number) =>
    payloads[buttons.slice(0, i).filter((b) => b.type === "QUICK_REPLY").length] ?? buttons[i]?.text ?? "";
  return (
    <Buttons>
      {buttons.map((b, i) =>
        b.type === "QUICK_REPLY" ? (
          <button
            type="button"
            key={i}
            onClick={() => act.tap?.({ id: payloadOf(i), title: b.text ?? "", kind: "quick_reply" })}
          >
            ↩ {b.text}
          </button>
        ) : b.type === "URL" ? (
          <a key={i} class="button" href={b.url} target="_blank" rel="noreferrer">
            ↗ {b.text}
          </a>
        ) : b.type === "PHONE_NUMBER" ? (
          <span key={i} class="button">
            📞 {b.text}
          </span>
        ) : b.type === "FLOW" ? (
          <button type="button" key={i} onClick={() => act.openFlow?.()}>
            {b.text}
          </button>
        ) : (
          <span key={i} class="button">
            {b.text ?? b.type}
          </span>
        ),
      )}
    </Buttons>
  );
}

/** A business's message in the phone. */
export function BusinessContent({
  content,
  template,
  media,
  act,
}: {
  content: any;
  template?: TemplateObject;
  media?: any;
  act: Actions;
}) {
  const header = content.header;
  const top =
    header &&
    (header.type === "TEXT" ? (
      <div class="header">{header.text}</div>
    ) : (
      <Media kind={header.type} url={header.mediaUrl} filename={header.filename} />
    ));
  switch (content.type) {
    case "text":
      return <div class="text">{content.text}</div>;
    case "template":
      return (
        <>
          <TemplateBody content={content} {...(template ? { template } : {})} media={media} />
          <TemplateButtons {...(template ? { template } : {})} content={content} act={act} />
        </>
      );
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return (
        <Media
          kind={content.type}
          url={media?.url ?? content.mediaUrl}
          caption={content.caption}
          filename={content.filename}
        />
      );
    case "location":
      return <Location {...content} />;
    case "contact":
      return <Contacts contacts={content.contacts} />;
    case "reaction":
      return <div class="reaction-note">reacted {content.emoji || "(removed)"}</div>;
    case "interactive_buttons":
      return (
        <>
          {top}
          <div class="text">{content.body}</div>
          {content.footer && <div class="footer">{content.footer}</div>}
          <Buttons>
            {content.buttons.map((b: any) => (
              <button
                type="button"
                key={b.id}
                onClick={() => act.tap?.({ id: b.id, title: b.title, kind: "reply" })}
              >
                {b.title}
              </button>
            ))}
          </Buttons>
        </>
      );
    case "interactive_list":
      return (
        <>
          {top}
          <div class="text">{content.body}</div>
          {content.footer && <div class="footer">{content.footer}</div>}
          <ListPicker content={content} act={act} />
        </>
      );
    case "interactive_url_button":
      return (
        <>
          {top}
          <div class="text">{content.body}</div>
          {content.footer && <div class="footer">{content.footer}</div>}
          <Buttons>
            <a class="button" href={content.url} target="_blank" rel="noreferrer">
              ↗ {content.displayText}
            </a>
          </Buttons>
        </>
      );
    case "interactive_location_request":
      return (
        <>
          <div class="text">{content.body}</div>
          <Buttons>
            <span class="button">📍 Send location</span>
          </Buttons>
        </>
      );
    case "interactive_flow":
      return (
        <>
          {top}
          <div class="text">{content.body}</div>
          {content.footer && <div class="footer">{content.footer}</div>}
          <Buttons>
            <button type="button" onClick={() => act.openFlow?.()}>
              {content.callToActionButton}
            </button>
          </Buttons>
        </>
      );
    case "interactive_product":
    case "interactive_multi_product":
      return (
        <>
          {top}
          <div class="text">🛍 {content.body ?? "Product"}</div>
          <small>
            catalog {content.catalogId}
            {content.productRetailerId ? ` · ${content.productRetailerId}` : ""}
          </small>
        </>
      );
    case "interactive_address":
      return (
        <>
          {top}
          <div class="text">{content.body}</div>
          <Buttons>
            <span class="button">🏠 Provide address</span>
          </Buttons>
        </>
      );
    case "interactive_order_details":
    case "interactive_order_status":
      return (
        <>
          <div class="text">🧾 {content.body ?? "Order"}</div>
          <pre class="json">{JSON.stringify(content, null, 1).slice(0, 600)}</pre>
        </>
      );
    default:
      return <pre class="json">{JSON.stringify(content, null, 1)}</pre>;
  }
}

/** The user's own photo (guarded by the API key), fetched and shown from memory. */
function UserMedia({ media, kind, caption }: { media: any; kind: string; caption?: string }) {
  const [url, setUrl] = useState<string | undefined>();
  const sender = media?.sender;
  useEffect(() => {
    if (!media?.id || !sender) return;
    let made: string | undefined;
    blobUrl(`/whatsapp/1/senders/${sender}/media/${media.id}`).then(
      (u) => {
        made = u;
        setUrl(u);
      },
      () => setUrl(undefined),
    );
    return () => made && URL.revokeObjectURL(made);
  }, [media?.id, sender]);
  return (
    <Media
      kind={kind}
      {...(url ? { url } : {})}
      {...(caption ? { caption } : {})}
      filename={media?.filename}
    />
  );
}

/** A message the user sent, as their own phone shows it. */
export function UserContent({ content, sender }: { content: any; sender: string }) {
  switch (content.type) {
    case "text":
      return <div class="text">{content.text}</div>;
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return (
        <UserMedia
          kind={content.type}
          media={{ ...content.media, sender }}
          caption={content.media?.caption}
        />
      );
    case "location":
      return <Location {...content} />;
    case "contacts":
      return <Contacts contacts={content.contacts} />;
    case "reaction":
      return <div class="reaction-note">reacted {content.emoji || "(removed)"}</div>;
    case "button":
      return <div class="text">↩ {content.text}</div>;
    case "button_reply":
      return <div class="text">↩ {content.title}</div>;
    case "list_reply":
      return <div class="text">☰ {content.title}</div>;
    case "flow_reply":
    case "nfm_reply":
      return <div class="text">📝 {content.body ?? "Form sent"}</div>;
    default:
      return <div class="text">[{content.type}]</div>;
  }
}

/** WhatsApp's ticks: ✓ sent, ✓✓ delivered, blue ✓✓ read. */
export function Ticks({ state }: { state: "sent" | "delivered" | "read" }) {
  const label = { sent: "Sent", delivered: "Delivered", read: "Read" }[state];
  return (
    <span class={`ticks ${state}`} title={label} role="img" aria-label={label} data-state={state}>
      {state === "sent" ? "✓" : "✓✓"}
    </span>
  );
}
