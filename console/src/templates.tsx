/**
 * Templates: a sender's templates by status with a rendered preview; create one with a live
 * preview (Infobip's templates v2); review a PENDING one in the simulated reviewer's place
 * (approve, or reject with a reason); pause, disable or reinstate an approved one (sandbox API).
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "./api.ts";
import { BusinessContent, type TemplateObject } from "./bubble.tsx";
import { useLive } from "./bus.ts";
import type { Sender } from "./main.tsx";

const STATUSES = ["PENDING", "APPROVED", "REJECTED", "FIRST_PAUSED", "DISABLED"];
const REASONS = ["INVALID_FORMAT", "PROMOTIONAL", "TAG_CONTENT_MISMATCH", "ABUSIVE_CONTENT", "SCAM"];

function Preview({ template }: { template: TemplateObject }) {
  return (
    <section class="bubble in preview" aria-label={`Preview of ${template.name}`}>
      <BusinessContent
        content={{
          type: "template",
          templateName: template.name,
          language: template.language,
          bodyPlaceholders: template.structure.body.examples ?? [],
          header: template.structure.header?.example
            ? { placeholder: template.structure.header.example }
            : undefined,
        }}
        template={template}
        act={{}}
      />
    </section>
  );
}

export function Templates({ senders }: { senders: readonly Sender[] }) {
  const [sender, setSender] = useState(senders[0]?.number ?? "");
  const [templates, setTemplates] = useState<TemplateObject[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const load = () =>
    api<{ templates: TemplateObject[] }>(`/whatsapp/2/senders/${sender}/templates`).then(
      (r) => setTemplates(r.templates),
      (err: Error) => setProblem(err.message),
    );
  useEffect(() => void load(), [sender]);
  useLive(
    () => void load(),
    (e) => e.type === "template",
  );

  const act = async (path: string, json: unknown) => {
    setProblem(undefined);
    try {
      await api(path, { method: "POST", json });
      await load();
    } catch (err) {
      setProblem((err as Error).message);
    }
  };

  return (
    <div class="templates">
      <div class="toolbar">
        <label>
          Sender
          <select value={sender} onChange={(e) => setSender(e.currentTarget.value)}>
            {senders.map((s) => (
              <option key={s.number}>{s.number}</option>
            ))}
          </select>
        </label>
      </div>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      <div class="columns">
        <div>
          {STATUSES.map((status) => {
            const list = templates.filter((t) => t.status === status);
            if (list.length === 0) return null;
            return (
              <section key={status} aria-label={`${status} templates`}>
                <h2>
                  {status.replace("FIRST_", "")} <small>({list.length})</small>
                </h2>
                <ul class="template-list">
                  {list.map((t) => (
                    <li key={t.id} class="template" data-template={t.name}>
                      <div class="template-head">
                        <strong>{t.name}</strong> <span>{t.language}</span>{" "}
                        <span class="tag">{t.category}</span>{" "}
                        <span class={`tag ${t.status}`}>{t.status}</span>
                        {(t as any).rejectionReason && <span> — {(t as any).rejectionReason}</span>}
                      </div>
                      <Preview template={t} />
                      <Review template={t} act={act} />
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
        <Create sender={sender} onCreated={load} />
      </div>
    </div>
  );
}

function Review({
  template: t,
  act,
}: {
  template: TemplateObject;
  act: (path: string, json: unknown) => Promise<void>;
}) {
  const [reason, setReason] = useState(REASONS[0] as string);
  if (t.status === "PENDING")
    return (
      <div class="actions">
        <button
          type="button"
          onClick={() => void act(`/sandbox/templates/${t.id}/review`, { status: "APPROVED" })}
        >
          Approve
        </button>
        <label>
          Reason
          <select value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
            {REASONS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => void act(`/sandbox/templates/${t.id}/review`, { status: "REJECTED", reason })}
        >
          Reject
        </button>
      </div>
    );
  if (t.status === "REJECTED") return null;
  return (
    <div class="actions">
      {t.status !== "APPROVED" && (
        <button
          type="button"
          onClick={() => void act(`/sandbox/templates/${t.id}/status`, { status: "APPROVED" })}
        >
          Reinstate
        </button>
      )}
      {t.status === "APPROVED" && (
        <button
          type="button"
          onClick={() => void act(`/sandbox/templates/${t.id}/status`, { status: "PAUSED" })}
        >
          Pause
        </button>
      )}
      {t.status !== "DISABLED" && (
        <button
          type="button"
          onClick={() => void act(`/sandbox/templates/${t.id}/status`, { status: "DISABLED" })}
        >
          Disable
        </button>
      )}
    </div>
  );
}

function Create({ sender, onCreated }: { sender: string; onCreated: () => void }) {
  const [name, setName] = useState("order_ready");
  const [language, setLanguage] = useState("en");
  const [category, setCategory] = useState("UTILITY");
  const [header, setHeader] = useState("");
  const [body, setBody] = useState("Hello {{1}}, your order {{2}} is ready.");
  const [examples, setExamples] = useState("Ann, 42");
  const [footer, setFooter] = useState("");
  const [quickReplies, setQuickReplies] = useState("Thanks, Not me");
  const [problem, setProblem] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const structure = {
    ...(header ? { header: { format: "TEXT", text: header } } : {}),
    body: { text: body, ...(examples.trim() ? { examples: examples.split(",").map((s) => s.trim()) } : {}) },
    ...(footer ? { footer: { text: footer } } : {}),
    ...(quickReplies.trim()
      ? {
          buttons: quickReplies
            .split(",")
            .map((t) => ({ type: "QUICK_REPLY", text: t.trim() }))
            .filter((b) => b.text),
        }
      : {}),
  };
  const draft: TemplateObject = { id: "draft", name, language, category, status: "DRAFT", structure };
  return (
    <form
      class="create"
      aria-label="Create a template"
      onSubmit={async (e) => {
        e.preventDefault();
        setProblem(undefined);
        setDone(undefined);
        try {
          const t = await api<TemplateObject>(`/whatsapp/2/senders/${sender}/templates`, {
            method: "POST",
            json: { name, language, category, structure },
          });
          setDone(`${t.name} is ${t.status}`);
          onCreated();
        } catch (err) {
          setProblem((err as Error).message);
        }
      }}
    >
      <h2>New template</h2>
      <label>
        Name{" "}
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} required pattern="[a-z0-9_]+" />
      </label>
      <label>
        Language <input value={language} onInput={(e) => setLanguage(e.currentTarget.value)} required />
      </label>
      <label>
        Category
        <select value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
          <option>UTILITY</option>
          <option>MARKETING</option>
          <option>AUTHENTICATION</option>
        </select>
      </label>
      <label>
        Header (text) <input value={header} onInput={(e) => setHeader(e.currentTarget.value)} />
      </label>
      <label>
        Body <textarea rows={3} value={body} onInput={(e) => setBody(e.currentTarget.value)} required />
      </label>
      <label>
        Examples (comma-separated){" "}
        <input value={examples} onInput={(e) => setExamples(e.currentTarget.value)} />
      </label>
      <label>
        Footer <input value={footer} onInput={(e) => setFooter(e.currentTarget.value)} />
      </label>
      <label>
        Quick replies (comma-separated){" "}
        <input value={quickReplies} onInput={(e) => setQuickReplies(e.currentTarget.value)} />
      </label>
      <h3>Live preview</h3>
      <Preview template={draft} />
      <button type="submit">Create</button>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      {done && <p role="status">{done}</p>}
    </form>
  );
}
