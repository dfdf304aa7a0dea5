/**
 * Sandbox: the simulated network's rules per number pattern (not on WhatsApp, offline, slow, fail
 * with a code), its clock (move time forward: windows close, TTLs run out), and the SMS the
 * simulated SMSC received for a number.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "./api.ts";

interface Rule {
  id: string;
  pattern: string;
  behaviour: string;
  deliverDelayMs?: number;
  readDelayMs?: number | null;
  errorCode?: number;
  errorTitle?: string;
}

const HOUR = 3_600_000;

export function Sandbox() {
  return (
    <div class="sandbox">
      <Clock />
      <Rules />
      <SmsInbox />
    </div>
  );
}

function Clock() {
  const [clock, setClock] = useState<{ now: string; offsetMs: number } | undefined>();
  const [hours, setHours] = useState("25");
  const [problem, setProblem] = useState<string | undefined>();
  const load = () => api("/sandbox/clock").then(setClock, (e: Error) => setProblem(e.message));
  useEffect(() => void load(), []);
  const advance = async (ms: number) => {
    try {
      setClock(await api("/sandbox/clock/advance", { method: "POST", json: { ms: Math.round(ms) } }));
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  return (
    <section aria-labelledby="clock-h">
      <h2 id="clock-h">Clock</h2>
      <p>
        Simulated now:{" "}
        <output aria-label="Simulated time">{clock ? new Date(clock.now).toLocaleString() : "…"}</output>
        {clock && clock.offsetMs > 0 && <small> ({Math.round(clock.offsetMs / HOUR)} h ahead)</small>}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void advance(Number(hours) * HOUR);
        }}
      >
        <label>
          Move forward by (hours){" "}
          <input value={hours} onInput={(e) => setHours(e.currentTarget.value)} inputMode="decimal" />
        </label>
        <button type="submit">Advance</button>
        <button type="button" onClick={() => void advance(24 * HOUR + 60_000)}>
          +24 h (close windows)
        </button>
      </form>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
    </section>
  );
}

function Rules() {
  const [rules, setRules] = useState<Rule[]>([]);
  const [pattern, setPattern] = useState("4477009001*");
  const [behaviour, setBehaviour] = useState("fail");
  const [delay, setDelay] = useState("");
  const [code, setCode] = useState("131026");
  const [problem, setProblem] = useState<string | undefined>();
  const load = () => api<{ rules: Rule[] }>("/sandbox/rules").then((r) => setRules(r.rules));
  useEffect(() => void load(), []);
  return (
    <section aria-labelledby="rules-h">
      <h2 id="rules-h">Number rules</h2>
      <table>
        <thead>
          <tr>
            <th>Pattern</th>
            <th>Behaviour</th>
            <th>Delay</th>
            <th>Error</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id}>
              <td>{r.pattern}</td>
              <td>{r.behaviour}</td>
              <td>{r.deliverDelayMs !== undefined ? `${r.deliverDelayMs} ms` : ""}</td>
              <td>{r.errorCode ?? ""}</td>
              <td>
                <button
                  type="button"
                  onClick={() =>
                    void api(`/sandbox/rules/${encodeURIComponent(r.id)}`, { method: "DELETE" }).then(load)
                  }
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setProblem(undefined);
          try {
            await api("/sandbox/rules", {
              method: "POST",
              json: {
                pattern,
                behaviour,
                ...(delay ? { deliverDelayMs: Number(delay) } : {}),
                ...(behaviour === "fail" && code ? { errorCode: Number(code) } : {}),
              },
            });
            await load();
          } catch (err) {
            setProblem((err as Error).message);
          }
        }}
      >
        <label>
          Pattern (* is any digits){" "}
          <input value={pattern} onInput={(e) => setPattern(e.currentTarget.value)} required />
        </label>
        <label>
          Behaviour
          <select value={behaviour} onChange={(e) => setBehaviour(e.currentTarget.value)}>
            <option value="deliver">deliver (slow with a delay)</option>
            <option value="offline">offline</option>
            <option value="not_whatsapp">not on WhatsApp</option>
            <option value="fail">fail with a code</option>
          </select>
        </label>
        <label>
          Delivery delay (ms){" "}
          <input value={delay} onInput={(e) => setDelay(e.currentTarget.value)} inputMode="numeric" />
        </label>
        <label>
          Error code{" "}
          <input value={code} onInput={(e) => setCode(e.currentTarget.value)} inputMode="numeric" />
        </label>
        <button type="submit">Add rule</button>
      </form>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
    </section>
  );
}

function SmsInbox() {
  const [number, setNumber] = useState("");
  const [sms, setSms] = useState<any[] | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  return (
    <section aria-labelledby="sms-h">
      <h2 id="sms-h">SMS received by the simulated SMSC</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(undefined);
          api<{ messages: any[] }>(`/sandbox/sms/${number.replace(/\D/g, "")}/messages`).then(
            (r) => setSms(r.messages),
            (err: Error) => setProblem(err.message),
          );
        }}
      >
        <label>
          Number{" "}
          <input value={number} onInput={(e) => setNumber(e.currentTarget.value)} inputMode="tel" required />
        </label>
        <button type="submit">Show</button>
      </form>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      {sms && sms.length === 0 && <p class="muted">No SMS for this number.</p>}
      {sms && (
        <ul class="sms">
          {sms.map((m) => (
            <li key={m.smscMessageId}>
              <strong>{m.from}</strong> {new Date(m.receivedAt).toLocaleString()} — {m.text}{" "}
              <small>({m.outcome})</small>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
