import type { Server } from 'node:http';

/**
 * Graceful shutdown of the HTTP API (SPEC "Operations": SIGTERM drains). A process manager
 * (docker compose, Kubernetes) sends SIGTERM, waits its grace period, then SIGKILLs: within
 * that time the API refuses new connections, answers `/readyz` 503 on the ones it still
 * has (so a load balancer that probes them takes it out), lets requests in flight finish,
 * and only then closes the database and Temporal client. The worker's side is the Temporal
 * SDK's own (temporal/worker.ts): it stops polling on the same signals.
 */
export class Drain {
  private started = false;

  /** True from the first SIGTERM/SIGINT on: `/readyz` answers 503 (api/routes/health.ts). */
  get draining(): boolean {
    return this.started;
  }

  /**
   * Resolves with the first of `signals`. The handlers are `once`: a second signal while
   * draining gets Node's default (the process ends at once), as an impatient Ctrl-C expects.
   */
  signalled(signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): Promise<NodeJS.Signals> {
    return new Promise((resolve) => {
      const on = (signal: NodeJS.Signals) => {
        for (const s of signals) process.off(s, on);
        this.started = true;
        resolve(signal);
      };
      for (const s of signals) process.once(s, on);
    });
  }

  /**
   * Stops accepting, closes idle keep-alive sockets (now and as each in-flight response
   * ends), and resolves when every connection is gone — or after `graceMs`, cutting those
   * still open. Returns how many requests were cut (0 = a clean drain).
   */
  async closeServer(server: Server, graceMs: number): Promise<{ cut: number }> {
    this.started = true;
    let cut = 0;
    await new Promise<void>((resolve) => {
      // A keep-alive socket whose response just ended would otherwise idle for its 65 s timeout.
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => {
        server.getConnections((_err, open) => {
          cut = open;
          server.closeAllConnections();
        });
      }, graceMs);
      server.close(() => {
        clearInterval(idle);
        clearTimeout(deadline);
        resolve();
      });
      server.closeIdleConnections();
    });
    return { cut };
  }
}
