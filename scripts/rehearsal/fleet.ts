import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { type Entry, entryNodeArgs } from '../../bin/node-args';

const ROOT = path.resolve(__dirname, '..', '..');

export type Log = (line: string) => void;

export interface Member {
  name: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ChaosEvent {
  at: number;
  what: string;
}

/** A free port on loopback, for an API process that keeps it across restarts. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Herald's API and worker processes as production runs them (`node --require tsx/cjs bin/api.ts`,
 * `… worker.ts`: bin/node-args.ts), each with its own log file under `dir`; what the chaos loop does to them is
 * kept in `events`. Anything still running when the rehearsal process exits is SIGKILLed.
 */
export class Fleet {
  readonly apis: (Member | undefined)[];
  readonly workers: Member[] = [];
  readonly events: ChaosEvent[] = [];
  private serial = 0;
  private readonly everyone = new Set<ChildProcess>();
  private readonly orphanGuard = () => this.everyone.forEach((c) => c.kill('SIGKILL'));

  constructor(
    private readonly env: Record<string, string>,
    readonly apiPorts: number[],
    private readonly dir: string,
    private readonly log: Log,
  ) {
    this.apis = apiPorts.map(() => undefined);
    process.on('exit', this.orphanGuard);
  }

  private spawn(name: string, entry: Entry, env: Record<string, string>, ready: string): Promise<Member> {
    const out = fs.createWriteStream(path.join(this.dir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, entryNodeArgs(entry), {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.everyone.add(child);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => {
        this.everyone.delete(child);
        resolve({ code, signal });
      }),
    );
    const member: Member = { name, child, exited };
    return new Promise<Member>((resolve, reject) => {
      let seen = '';
      let isReady = false;
      const watch = (d: Buffer) => {
        out.write(d);
        if (isReady) return;
        seen = (seen + d.toString()).slice(-4096);
        if (seen.includes(ready)) {
          isReady = true;
          resolve(member);
        }
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      child.once('exit', (code, signal) => {
        out.end();
        if (!isReady)
          reject(
            new Error(
              `${name} exited before "${ready}" (${signal ?? `code ${code}`}); its log: ${path.join(this.dir, `${name}.log`)}`,
            ),
          );
      });
    });
  }

  /**
   * As a supervisor with a restart policy does (docker compose `restart:`): a process that exits
   * before it is ready (Temporal unreachable while the server restarts) is started again.
   */
  private async supervised(name: string, entry: Entry, env: Record<string, string>, ready: string) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.spawn(name, entry, env, ready);
      } catch (err) {
        if (attempt >= 10) throw err;
        this.note(`${name} failed to start (${(err as Error).message.split(';')[0]}); starting it again`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  async startApi(i: number): Promise<void> {
    const name = `api-${i}`;
    this.apis[i] = await this.supervised(
      name,
      'bin/api.ts',
      { PORT: String(this.apiPorts[i]) },
      'api: listening',
    );
  }

  async startWorker(): Promise<Member> {
    const name = `worker-${++this.serial}`;
    const member = await this.supervised(name, 'worker.ts', {}, 'worker: polling');
    this.workers.push(member);
    // A worker that dies by itself (not by the chaos loop) is a finding: it shows in the report.
    void member.exited.then(({ code, signal }) => {
      if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 0) {
        this.note(`${name} exited by itself (${signal ?? `code ${code}`})`);
      }
    });
    return member;
  }

  note(what: string): void {
    this.events.push({ at: Date.now(), what });
    this.log(`chaos: ${what}`);
  }

  /** SIGKILL, as a machine that vanishes: no drain. */
  async killRandomWorker(): Promise<string | undefined> {
    const live = this.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    if (live.length === 0) return undefined;
    const victim = live[Math.floor(Math.random() * live.length)];
    victim.child.kill('SIGKILL');
    await victim.exited;
    this.workers.splice(this.workers.indexOf(victim), 1);
    this.note(`SIGKILL ${victim.name}`);
    return victim.name;
  }

  /** SIGTERM, as a deploy does: the API drains and exits; then the same instance starts again. */
  async restartApi(i: number): Promise<{ drainMs: number; exit: string }> {
    const member = this.apis[i];
    if (!member) throw new Error(`api-${i} is not running`);
    const started = Date.now();
    member.child.kill('SIGTERM');
    const { code, signal } = await member.exited;
    const drainMs = Date.now() - started;
    const exit = signal ?? `code ${code}`;
    this.note(`SIGTERM api-${i}: exited ${exit} after ${drainMs} ms`);
    await this.startApi(i);
    this.note(`api-${i} started again`);
    return { drainMs, exit };
  }

  live(): number {
    return this.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).length;
  }

  /** SIGTERM everything, SIGKILL what is left after `graceMs`. */
  async stopAll(graceMs = 15_000): Promise<void> {
    const all = [...this.everyone];
    all.forEach((c) => c.kill('SIGTERM'));
    const timer = setTimeout(() => all.forEach((c) => c.kill('SIGKILL')), graceMs);
    await Promise.all(
      all.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
          }),
      ),
    );
    clearTimeout(timer);
    process.removeListener('exit', this.orphanGuard);
  }
}
