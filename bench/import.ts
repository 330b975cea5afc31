import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { AccountService } from '../api/usecases/accounts';
import { newId } from '../db/ids';
import { Campaign } from '../entities/Campaign';
import { Invite } from '../entities/Invite';
import { newInvite } from '../entities/new-invite';
import { benchDatabase, fmt, measure, progress } from './support';
import { insertRows } from '../db/insert-rows';

/**
 * bench/import: 100,000 CSV rows (1% bad) in one streamed request through the real API
 * (parse, validate, dedupe against the campaign, insert in chunks), against a baseline that
 * inserts the same number of prepared rows directly. Reports the ratio and peak memory.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

function* csvLines(rows: number): Generator<string> {
  yield 'email,name\n';
  for (let i = 0; i < rows; i++) {
    if (i % 100 === 37) yield `bad address ${i}@example.com,Bad ${i}\n`;
    else if (i % 100 === 73) yield `typo${i}@example.con,Typo ${i}\n`;
    else yield `person${i}@example.com,Person ${i}\n`;
  }
}

export async function runImportBench(): Promise<string> {
  const { config, db, cleanup } = await benchDatabase();
  // Importing into a draft never talks to Temporal: a lazy client that is never used.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const server = createApp({ db, temporal, config }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const { accountId, adminKey } = await new AccountService(db).createAccount({
      name: 'Bench',
      ownerEmail: 'b@example.com',
      balanceCents: 0,
    });
    const campaignFor = async () => {
      const id = newId();
      const now = new Date();
      await db.transaction((em) =>
        em.insert(Campaign, {
          id,
          accountId,
          name: 'Bench',
          description: null,
          status: 'draft',
          pausedReason: null,
          pausedFrom: null,
          startAt: null,
          expiresAt: null,
          batchSize: null,
          batchGapMinutes: 0,
          costPerInviteCents: 1,
          emailSubject: null,
          emailFromName: null,
          maxFailurePercent: 20,
          event: null,
          eventSequence: 0,
          reservedCents: 0,
          createdAt: now,
          updatedAt: now,
        }),
      );
      return id;
    };

    progress(`baseline: inserting ${ROWS} prepared invites directly (${config.database.type})…`);
    const baselineCampaign = await campaignFor();
    const baseline = await measure(async () => {
      const now = new Date();
      for (let i = 0; i < ROWS; i += 1000) {
        const rows = Array.from({ length: Math.min(1000, ROWS - i) }, (_, k) =>
          newInvite(
            {
              accountId,
              campaignId: baselineCampaign,
              email: `person${i + k}@example.com`,
              name: `Person ${i + k}`,
              expiresAt: null,
              reminderDaysBefore: null,
              reminderAt: null,
            },
            now,
          ),
        );
        await db.transaction(async (em) => {
          await insertRows(em, Invite, rows);
        });
      }
    });

    progress(`import: POST ${ROWS} CSV rows as one streamed request…`);
    const campaignId = await campaignFor();
    const run = await measure(async () => {
      const res = await fetch(`${base}/v1/campaigns/${campaignId}/invites/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'text/csv' },
        body: Readable.toWeb(Readable.from(csvLines(ROWS))),
        duplex: 'half',
      });
      return (await res.json()) as { imported: number; rejected: { row: number }[] };
    });
    const expectedBad = Math.floor(ROWS / 100) * 2 + (ROWS % 100 > 73 ? 2 : ROWS % 100 > 37 ? 1 : 0);
    if (run.result.rejected.length !== expectedBad || run.result.imported !== ROWS - expectedBad) {
      throw new Error(
        `import reported ${run.result.imported} imported / ${run.result.rejected.length} rejected; expected ${ROWS - expectedBad} / ${expectedBad}`,
      );
    }
    const ratio = run.ms / baseline.ms;
    const rows = [
      `| import ${ROWS} CSV rows (${config.database.type}) | ${fmt(run.ms / 1000, 2)} s | ${fmt(baseline.ms / 1000, 2)} s | ${fmt(ratio, 2)}× | ${fmt(run.peakRssMb)} MB | ${run.result.rejected.length} rejected, each with row and reason |`,
    ];
    progress(
      `import ${fmt(run.ms / 1000, 2)} s vs baseline ${fmt(baseline.ms / 1000, 2)} s (${fmt(ratio, 2)}×), peak RSS +${fmt(run.peakRssMb)} MB`,
    );
    return rows.join('\n');
  } finally {
    await new Promise((r) => server.close(r));
    await temporal.connection.close();
    await cleanup();
  }
}

if (require.main === module) {
  runImportBench()
    .then((table) =>
      console.log(
        `| benchmark | time | baseline | ratio | peak memory | notes |\n|---|---|---|---|---|---|\n${table}`,
      ),
    )
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
