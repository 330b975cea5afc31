import type { TemporalServer } from '../temporal-server';
import type { Fleet, Log } from './fleet';
import type { Settings } from './settings';

/**
 * The faults, while the load runs: a random worker SIGKILLed every `killEveryMs` (±25 %) and a
 * new one started at once; at `apiTermAtMs` an API process SIGTERMed (it drains) and started
 * again; at `temporalRestartAtMs` the Temporal server restarted. Workers that died by themselves
 * are replaced too, so the fleet stays at its size.
 */
export function startChaos(o: { fleet: Fleet; server: TemporalServer; settings: Settings; log: Log }) {
  const { fleet, server, settings } = o;
  const began = Date.now();
  let stopped = false;
  const errors: string[] = [];
  const counts = { workerKills: 0, apiRestarts: 0, temporalRestarts: 0, temporalRestartMs: 0 };
  // Sleeps that stop() cuts short, so a failed or interrupted run does not wait out a timer.
  const wakers = new Set<() => void>();
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });

  const guarded = (what: string, work: () => Promise<void>) =>
    work().catch((err: Error) => {
      errors.push(`${what}: ${err.message}`);
      o.log(`chaos: ${what} failed: ${err.message}`);
    });

  const kills = (async () => {
    while (!stopped) {
      await nap(settings.killEveryMs * (0.75 + Math.random() * 0.5));
      if (stopped) break;
      await guarded('worker kill', async () => {
        if (await fleet.killRandomWorker()) counts.workerKills++;
        while (!stopped && fleet.live() < settings.workers) {
          const w = await fleet.startWorker();
          fleet.note(`${w.name} polling`);
        }
      });
    }
  })();

  const apiTerm = (async () => {
    await nap(settings.apiTermAtMs);
    if (stopped) return;
    await guarded('API restart', async () => {
      const { exit } = await fleet.restartApi(Math.floor(Math.random() * settings.apis));
      counts.apiRestarts++;
      if (exit !== 'code 0') throw new Error(`the API did not drain and exit 0 on SIGTERM (${exit})`);
    });
  })();

  const temporal = (async () => {
    await nap(settings.temporalRestartAtMs);
    if (stopped) return;
    await guarded('Temporal server restart', async () => {
      fleet.note('Temporal server restarting');
      const started = Date.now();
      await server.restart();
      counts.temporalRestarts++;
      counts.temporalRestartMs = Date.now() - started;
      fleet.note(`Temporal server back after ${counts.temporalRestartMs} ms`);
    });
  })();

  return {
    counts,
    errors,
    /** Whether the one-off faults (API SIGTERM, Temporal restart) have both happened. */
    oneOffsDone: () => counts.apiRestarts > 0 && counts.temporalRestarts > 0,
    sinceMs: () => Date.now() - began,
    async stop() {
      stopped = true;
      wakers.forEach((wake) => wake());
      await Promise.all([kills, apiTerm, temporal]);
    },
  };
}
