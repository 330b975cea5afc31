import { useEffect, useRef } from 'preact/hooks';

export const POLL_MS = 2000;

/**
 * Live without a request storm: `tick` runs (one request) at most once every 2 s, the next
 * only after the last has answered, and never while the tab is hidden; showing the tab again
 * ticks at once. `active: false` stops it (a campaign that has ended does not change).
 */
export function usePoll(tick: () => Promise<unknown>, active: boolean) {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  useEffect(() => {
    if (!active) return;
    let timer: number | undefined;
    let running = false;
    let stopped = false;
    let last = Date.now();
    const schedule = () => {
      window.clearTimeout(timer);
      if (stopped || document.visibilityState === 'hidden') return;
      timer = window.setTimeout(run, Math.max(0, last + POLL_MS - Date.now()));
    };
    const run = async () => {
      if (running || stopped || document.visibilityState === 'hidden') return;
      running = true;
      last = Date.now();
      try {
        await tickRef.current();
      } catch {
        // The screen shows its own errors; polling just tries again later.
      } finally {
        running = false;
        schedule();
      }
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') window.clearTimeout(timer);
      else if (!running) schedule();
    };
    document.addEventListener('visibilitychange', onVisibility);
    schedule();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [active]);
}
