/** The live events, fanned out to whichever views are open; `useLive` re-runs a view's load on each. */
import { useEffect, useRef } from "preact/hooks";
import type { LiveEvent } from "./api.ts";

const listeners = new Set<(e: LiveEvent) => void>();

export function publish(e: LiveEvent): void {
  for (const l of listeners) l(e);
}

/** Calls `fn` for every live event `wanted` accepts, at most every `ms` (a burst of events: one reload). */
export function useLive(fn: () => void, wanted: (e: LiveEvent) => boolean = () => true, ms = 150): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const l = (e: LiveEvent) => {
      // On (re)connecting, and after a gap, every view reloads: what happened meanwhile was not streamed.
      const resync = e.type === "hello" || e.type === "reload";
      if ((!resync && !wanted(e)) || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        latest.current();
      }, ms);
    };
    listeners.add(l);
    return () => {
      listeners.delete(l);
      if (timer) clearTimeout(timer);
    };
  }, []);
}
