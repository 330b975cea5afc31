import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../activities';
import type { SendOutcome } from '../activities/send/types';
import { Campaign } from '../entities/Campaign';
import { benchCampaigns, benchStack, fmt, measure, progress } from './support';

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
    const made = benchCampaigns({ db, env, config });
    const { campaigns } = made;
    const caller = await made.account('bench');
    const { accountId } = caller;
    const campaignWith = (name: string) =>
      made.draft(caller, name, { invites: INVITES, batchSize: 500, names: true });

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
