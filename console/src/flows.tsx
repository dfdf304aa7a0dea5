/**
 * Flows: a sender's WhatsApp Flows with their JSON, when the server has the flows API
 * (`/whatsapp/1/senders/{sender}/flows`); until then the tab says it is not available.
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, api } from "./api.ts";
import type { Sender } from "./main.tsx";

export function Flows({ senders }: { senders: readonly Sender[] }) {
  const [sender, setSender] = useState(senders[0]?.number ?? "");
  const [flows, setFlows] = useState<any[] | string | undefined>();
  useEffect(() => {
    api(`/whatsapp/1/senders/${sender}/flows`).then(
      (b: any) => setFlows(Array.isArray(b) ? b : (b?.flows ?? b?.results ?? b?.data ?? [])),
      (err) =>
        setFlows(
          err instanceof ApiError && (err.status === 404 || err.status === 501)
            ? "Flows are not available on this server yet."
            : err.message,
        ),
    );
  }, [sender]);
  return (
    <div class="flows">
      <label>
        Sender
        <select value={sender} onChange={(e) => setSender(e.currentTarget.value)}>
          {senders.map((s) => (
            <option key={s.number}>{s.number}</option>
          ))}
        </select>
      </label>
      {typeof flows === "string" && <p class="muted">{flows}</p>}
      {Array.isArray(flows) && flows.length === 0 && <p class="muted">No flows.</p>}
      {Array.isArray(flows) &&
        flows.map((f, i) => (
          <article key={f.id ?? i} class="flow">
            <h2>
              {f.name ?? f.id} <small>{f.status}</small>
            </h2>
            {(f.validationErrors ?? f.validation_errors ?? []).map((v: any, j: number) => (
              <p key={j} class="error">
                {v.path ?? v.pointers?.[0]?.path ?? ""}: {v.message ?? v.error}
              </p>
            ))}
            <details>
              <summary>JSON</summary>
              <pre class="json">{JSON.stringify(f.json ?? f, null, 2)}</pre>
            </details>
          </article>
        ))}
    </div>
  );
}
