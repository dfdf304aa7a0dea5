/** Overview: messages per minute by status, the delivery funnel, webhook outcomes and latency (uPlot charts). */
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api } from "./api.ts";
import { useLive } from "./bus.ts";

interface Stats {
  since: string;
  until: string;
  bucketMs: number;
  perMinute: ({ at: string } & Record<string, number>)[];
  funnel: { accepted: number; sent: number; delivered: number; read: number; failed: number };
  webhooks: {
    pending: number;
    delivered: number;
    failed: number;
    meanLatencyMs?: number;
    maxLatencyMs?: number;
  };
}

const SERIES = [
  ["sent", "#6c8ebf"],
  ["delivered", "#4caf50"],
  ["seen", "#2196f3"],
  ["failed", "#e53935"],
  ["expired", "#9e9e9e"],
  ["accepted", "#ffb300"],
] as const;

function PerMinute({ stats }: { stats: Stats }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const start = Date.parse(stats.since);
    const n = Math.round((Date.parse(stats.until) - start) / stats.bucketMs);
    const xs = Array.from({ length: n }, (_, i) => (start + i * stats.bucketMs) / 1000);
    const byAt = new Map(stats.perMinute.map((b) => [Date.parse(b.at) / 1000, b]));
    const data = [xs, ...SERIES.map(([s]) => xs.map((x) => byAt.get(x)?.[s] ?? 0))];
    const plot = new uPlot(
      {
        width: Math.min(900, el.current.clientWidth || 900),
        height: 260,
        series: [{}, ...SERIES.map(([label, stroke]) => ({ label, stroke, width: 2 }))],
        axes: [{}, { label: "messages / min" }],
      },
      data as uPlot.AlignedData,
      el.current,
    );
    return () => plot.destroy();
  }, [stats]);
  return <div ref={el} role="img" aria-label="Messages per minute by status" />;
}

export function Overview() {
  const [stats, setStats] = useState<Stats | undefined>();
  const load = () => api<Stats>("/openbsp/1/stats?minutes=60").then(setStats);
  useEffect(() => void load(), []);
  useLive(
    () => void load(),
    () => true,
    2000,
  );
  if (!stats) return <p>Loading…</p>;
  const f = stats.funnel;
  const w = stats.webhooks;
  const tried = w.delivered + w.failed;
  const stages = [
    ["accepted", f.accepted],
    ["sent", f.sent],
    ["delivered", f.delivered],
    ["read", f.read],
    ["failed", f.failed],
  ] as const;
  return (
    <div class="overview">
      <section aria-labelledby="pm-h">
        <h2 id="pm-h">Messages per minute (last hour)</h2>
        <PerMinute stats={stats} />
      </section>
      <section aria-labelledby="funnel-h">
        <h2 id="funnel-h">Delivery funnel</h2>
        <ul class="funnel">
          {stages.map(([label, n]) => (
            <li key={label} class={label}>
              <span class="bar" style={{ width: `${f.accepted ? (100 * n) / f.accepted : 0}%` }} />
              <span>
                {label} <strong>{n}</strong>
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="wh-h">
        <h2 id="wh-h">Webhooks</h2>
        <dl class="figures">
          <dt>Success rate</dt>
          <dd>{tried ? `${Math.round((100 * w.delivered) / tried)}%` : "—"}</dd>
          <dt>Delivered</dt>
          <dd>{w.delivered}</dd>
          <dt>Failed</dt>
          <dd>{w.failed}</dd>
          <dt>Pending</dt>
          <dd>{w.pending}</dd>
          <dt>Mean latency</dt>
          <dd>{w.meanLatencyMs !== undefined ? `${w.meanLatencyMs} ms` : "—"}</dd>
          <dt>Max latency</dt>
          <dd>{w.maxLatencyMs !== undefined ? `${w.maxLatencyMs} ms` : "—"}</dd>
        </dl>
      </section>
    </div>
  );
}
