/** The console's shell: the API key, the live stream's state, and one tab per view (routed by the URL's hash). */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, apiKey, live, setApiKey } from "./api.ts";
import { publish } from "./bus.ts";
import { Flows } from "./flows.tsx";
import { Messages } from "./messages.tsx";
import { Overview } from "./overview.tsx";
import { Phones } from "./phones.tsx";
import { Sandbox } from "./sandbox.tsx";
import { Templates } from "./templates.tsx";
import "./styles.css";

export interface Sender {
  readonly number: string;
  readonly wabaId: string;
  readonly aliases: Readonly<Record<string, string>>;
}

const TABS = [
  ["phones", "Phones"],
  ["messages", "Messages"],
  ["templates", "Templates"],
  ["flows", "Flows"],
  ["sandbox", "Sandbox"],
  ["overview", "Overview"],
] as const;
type Tab = (typeof TABS)[number][0];

const tabOfHash = (): Tab => {
  const t = /^#\/([a-z]+)/.exec(location.hash)?.[1];
  return (TABS.find(([id]) => id === t)?.[0] ?? "phones") as Tab;
};

function KeyForm({ onKey, problem }: { onKey: (k: string) => void; problem?: string }) {
  const [key, setKey] = useState("");
  return (
    <main class="key-form">
      <h1>OpenBSP console</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onKey(key.trim());
        }}
      >
        <label>
          API key (<code>npm start</code> prints it, and a console link that carries it)
          <input value={key} onInput={(e) => setKey(e.currentTarget.value)} required />
        </label>
        <button type="submit">Open</button>
        {problem && (
          <p role="alert" class="error">
            {problem}
          </p>
        )}
      </form>
    </main>
  );
}

function App() {
  const [tab, setTab] = useState<Tab>(tabOfHash());
  const [key, setKeyState] = useState(apiKey());
  const [senders, setSenders] = useState<Sender[] | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const onHash = () => setTab(tabOfHash());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => {
    if (!key) return;
    api<{ senders: Sender[] }>("/openbsp/1/senders").then(
      (r) => {
        setSenders(r.senders);
        setProblem(undefined);
      },
      (err: Error) => {
        setSenders(undefined);
        setProblem(err.message);
      },
    );
  }, [key]);
  useEffect(() => (senders ? live(publish, setConnected) : undefined), [senders]);

  if (!key || !senders)
    return (
      <KeyForm
        {...(problem ? { problem } : {})}
        onKey={(k) => {
          setApiKey(k);
          setKeyState(k);
        }}
      />
    );
  return (
    <div class="shell">
      <header>
        <strong class="brand">OpenBSP</strong>
        <nav aria-label="Views">
          {TABS.map(([id, label]) => (
            <a key={id} href={`#/${id}`} aria-current={tab === id ? "page" : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span class={connected ? "live on" : "live"} role="status" aria-live="polite">
          {connected ? "● live" : "○ connecting…"}
        </span>
      </header>
      <main>
        {tab === "phones" && <Phones senders={senders} />}
        {tab === "messages" && <Messages senders={senders} />}
        {tab === "templates" && <Templates senders={senders} />}
        {tab === "flows" && <Flows senders={senders} />}
        {tab === "sandbox" && <Sandbox />}
        {tab === "overview" && <Overview />}
      </main>
    </div>
  );
}

render(<App />, document.getElementById("app") as HTMLElement);
