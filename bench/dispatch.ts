import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../activities';
import type { SendOutcome } from '../activities/send/types';
import { AccountService } from '../api/usecases/accounts';
import { CampaignService } from '../api/usecases/campaigns';
import { InviteService } from '../api/usecases/invites';
import { Campaign } from '../entities/Campaign';
import { SecretBox } from '../security/secrets';
import { benchStack, fmt, measure, progress } from './support';

/**
 * bench/dispatch: 20,000 invites in batches of 500, gap 0, sent through the campaign
 * workflow (real Temporal dev server, real worker, real DB, the postmark client against the
 * local Postmark server) — against a direct loop calling the same activity (same DB writes,
 * same provider calls) with no Temporal in between. Ratio = direct time / workflow time.
 */
const INVITES = Number(process.env.BENCH_INVITES ?? 20_000);

export async function runDispatchBench(): Promise<string> {
  const { fake, env, db, config, deps, startWorker, close } = await benchStack('bench-dispatch');
  let stopWorker = async () => undefined as void;
  try {
    stopWorker = await startWorker();
    const { accountId, adminKey } = await new AccountService(db).createAccount({
      name: 'Bench',
      ownerEmail: 'owner@bench.test',
      balanceCents: 1e9,
    });
    const caller = { accountId, keyId: adminKey.slice(0, 8), role: 'admin' as const };
    const campaigns = new CampaignService({ db, temporal: env.client, taskQueue: config.temporal.taskQueue });
    const invites = new InviteService({
      db,
      temporal: env.client,
      publicBaseUrl: config.publicBaseUrl,
      secrets: SecretBox.fromConfig(config),
    });
    const campaignWith = async (name: string) => {
      const c = await campaigns.create(caller, {
        name,
        batch: { size: 500, gapMinutes: 0 },
        costPerInviteCents: 1,
      });
      for (let i = 0; i < INVITES; i += 1000) {
        await invites.addBulk(caller, c.id, {
          recipients: Array.from({ length: Math.min(1000, INVITES - i) }, (_, k) => ({
            email: `${name}-${i + k}@bench.test`,
            name: `R${i + k}`,
          })),
        });
      }
      return c.id;
    };

    progress(`direct loop: ${INVITES} invites through sendChunk (invitations), no Temporal…`);
    const directId = await campaignWith('direct');
    const activities = createActivities(deps);
    // The direct loop drives this campaign alone: its workflow must not dispatch beside it.
    await env.client.workflow
      .getHandle(`campaign-${directId}`)
      .terminate('bench: the direct loop drives this campaign');
    await db.transaction((em) => em.update(Campaign, { id: directId }, { status: 'launching' }));
    const direct = await measure(async () => {
      for (;;) {
        // A bare activity context (heartbeats go nowhere): the activity, without Temporal.
        const send = activities.sendChunk.bind(activities);
        const outcome: SendOutcome = await new MockActivityEnvironment().run(send, {
          pass: 'invitations' as const,
          campaignId: directId,
          accountId,
          limit: 500,
        });
        if (outcome.remaining === 0) return;
      }
    });

    progress(`workflow: ${INVITES} invites, launch → active…`);
    const flowId = await campaignWith('workflow');
    const flow = await measure(async () => {
      await campaigns.command(caller, flowId, { type: 'launch' });
      for (;;) {
        const c = await db.manager.findOneByOrFail(Campaign, { id: flowId });
        if (c.status === 'active') return;
        await new Promise((r) => setTimeout(r, 25));
      }
    });
    const invitations = (id: string) =>
      fake.sent.filter((m) => m.Metadata.campaignId === id && m.Metadata.kind === 'invitation').length;
    const sentDirect = invitations(directId);
    const sentFlow = invitations(flowId);
    if (sentDirect !== INVITES || sentFlow !== INVITES)
      throw new Error(`sent ${sentDirect} direct / ${sentFlow} via workflow; expected ${INVITES} each`);
    const history = await env.client.workflow.getHandle(`campaign-${flowId}`).describe();

    const ratio = direct.ms / flow.ms;
    progress(
      `workflow ${fmt(flow.ms / 1000, 2)} s vs direct ${fmt(direct.ms / 1000, 2)} s: ratio ${fmt(ratio, 2)}`,
    );
    return `| dispatch ${INVITES} invites, batches of 500, gap 0 (${config.database.type}) | ${fmt(flow.ms / 1000, 2)} s (${Math.round(INVITES / (flow.ms / 1000))}/s) | ${fmt(direct.ms / 1000, 2)} s (${Math.round(INVITES / (direct.ms / 1000))}/s) | ${fmt(ratio, 2)} | ${history.historyLength} events |`;
  } finally {
    await stopWorker(); // the dev server cannot close under a running worker
    await close();
  }
}

if (require.main === module) {
  runDispatchBench()
    .then((row) =>
      console.log(
        `| benchmark | workflow | direct loop | direct/workflow | workflow history |\n|---|---|---|---|---|\n${row}`,
      ),
    )
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
