/**
 * The rehearsal's two sizes. `full` is issue 14's: 10 campaigns of 10,000 invites on 3 accounts;
 * `small` is the CI-sized run (`--small` or REHEARSAL_SIZE=small), about 2–3 minutes.
 */
export interface BatchPlan {
  size: number | null;
  gapMinutes: number;
}

export interface Settings {
  name: 'full' | 'small';
  /** Campaigns are dealt round-robin over this many accounts; account 0's token is revoked mid-way. */
  accounts: number;
  campaigns: number;
  /** Invites per campaign, imported as one CSV request. */
  invitesPerCampaign: number;
  /** Extra invites per campaign added in bulk before launch, with their own expiry and a reminder. */
  remindedPerCampaign: number;
  /** Those invites expire this long after they are added; their reminder comes `reminderBeforeMs` earlier. */
  remindedExpiryMs: number;
  reminderBeforeMs: number;
  /** Cycled over the campaigns. */
  batches: BatchPlan[];
  apis: number;
  workers: number;
  /** A random worker is SIGKILLed and replaced this often (±25 %). */
  killEveryMs: number;
  /** After launch: when an API process gets SIGTERM (and is started again), and when the Temporal server restarts. */
  apiTermAtMs: number;
  temporalRestartAtMs: number;
  /** After launch: when account 0's token is revoked; how long after its campaigns paused the owner renews it. */
  revokeAtMs: number;
  renewAfterMs: number;
  /** After launch: when the manual pauses (API, signal) begin, and how long each lasts. */
  pausesAtMs: number;
  pauseForMs: number;
  /** The whole run gives up after this long (a stuck campaign). */
  deadlineMs: number;
}

const MINUTE = 60_000;

export const FULL: Settings = {
  name: 'full',
  accounts: 3,
  campaigns: 10,
  invitesPerCampaign: 10_000,
  remindedPerCampaign: 200,
  remindedExpiryMs: 5 * MINUTE,
  reminderBeforeMs: 2.5 * MINUTE,
  batches: [
    { size: 1000, gapMinutes: 0.25 },
    { size: null, gapMinutes: 0 },
    { size: 500, gapMinutes: 0.1 },
    { size: 2000, gapMinutes: 0.5 },
    { size: 250, gapMinutes: 0.05 },
  ],
  apis: 2,
  workers: 3,
  killEveryMs: 20_000,
  apiTermAtMs: 30_000,
  temporalRestartAtMs: 75_000,
  revokeAtMs: 20_000,
  renewAfterMs: 20_000,
  pausesAtMs: 45_000,
  pauseForMs: 20_000,
  deadlineMs: 40 * MINUTE,
};

export const SMALL: Settings = {
  name: 'small',
  accounts: 3,
  campaigns: 3,
  invitesPerCampaign: 300,
  remindedPerCampaign: 20,
  remindedExpiryMs: 100_000,
  reminderBeforeMs: 50_000,
  batches: [
    { size: 50, gapMinutes: 0.1 },
    { size: 100, gapMinutes: 0.15 },
    { size: 40, gapMinutes: 0.08 },
  ],
  apis: 2,
  workers: 3,
  killEveryMs: 12_000,
  apiTermAtMs: 8_000,
  temporalRestartAtMs: 25_000,
  revokeAtMs: 5_000,
  renewAfterMs: 8_000,
  pausesAtMs: 6_000,
  pauseForMs: 8_000,
  deadlineMs: 10 * MINUTE,
};

export function settingsFrom(argv: string[], env: NodeJS.ProcessEnv): Settings {
  const size = argv.includes('--small') ? 'small' : argv.includes('--full') ? 'full' : env.REHEARSAL_SIZE;
  if (size === undefined || size === 'full') return FULL;
  if (size === 'small') return SMALL;
  throw new Error(`REHEARSAL_SIZE: expected full or small, got ${JSON.stringify(size)}`);
}
