import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  startTemporalServer,
  TEMPORAL_SERVER_VERSION,
  type TemporalServer,
} from '../scripts/temporal-server';
import { untilStatus } from './support/campaigns';
import { draftWithRecipients, invitationsOf, perRecipient } from './support/delivery';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

/**
 * The production Temporal, not the dev server: the server binary at the version docker-compose.yml
 * pins (built once with `go install` and cached per user, so only the first run takes minutes), on
 * PostgreSQL with SQL visibility and 4 history shards, with Herald's API and worker on it.
 */
const compose = parse(fs.readFileSync(path.join(__dirname, '..', 'docker-compose.yml'), 'utf8'));
const temporalService = compose.services.temporal as { image: string; environment: Record<string, string> };
const composeShards = Number(temporalService.environment.NUM_HISTORY_SHARDS);

describe('A real Temporal server on PostgreSQL, as production runs it', () => {
  let server: TemporalServer;
  beforeAll(async () => {
    server = await startTemporalServer({
      database: 'herald_temporal_test',
      dir: path.join(process.env.HERALD_TEST_TMP!, 'temporal-server'), // removed by the global teardown
      reset: true,
      numHistoryShards: composeShards,
    });
  }, 15 * 60_000); // a first run builds the server (about 4 minutes here)
  const { stack, fake } = usePostmarkStack(() => ({ env: { TEMPORAL_ADDRESS: server.address } }));
  const { api } = useAccount(stack, 1_000_000);
  // Declared after the stack's: the stack closes (if the last test did not) before its server stops.
  afterAll(async () => {
    await server?.stop();
  });

  it('is the version docker-compose.yml runs, with its history shards (several) and PostgreSQL for persistence and visibility', async () => {
    expect(temporalService.image).toBe(`temporalio/auto-setup:${TEMPORAL_SERVER_VERSION.slice(1)}`);
    expect(composeShards).toBeGreaterThan(1);

    const info = await stack.temporal.workflowService.getClusterInfo({});
    expect(info).toMatchObject({
      serverVersion: TEMPORAL_SERVER_VERSION.slice(1),
      historyShardCount: composeShards,
      persistenceStore: 'postgres12',
      visibilityStore: 'postgres12',
    });
    expect(server.startupMs).toBeLessThan(60_000);
  });

  it('when a campaign of 20 recipients is launched, then each gets exactly one email, and ops find it by its search attributes', async () => {
    const { id, emails } = await draftWithRecipients(api, 20, {});
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(api, id, 'active', 60_000);

    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect((await api.get(`/v1/campaigns/${id}`)).body.progress).toMatchObject({ total: 20, sent: 20 });

    // SQL advanced visibility on PostgreSQL answers the query ops run (docs/operations.md).
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const run of stack.temporal.workflow.list({
        query: `CampaignId="${id}" AND CampaignStatus="active"`,
      }))
        ids.push(run.workflowId);
      return ids.length > 0 ? ids : undefined;
    });
    expect(found).toEqual([`campaign-${id}`]);
  });

  it('when the server restarts mid-campaign, then the campaign carries on from PostgreSQL: every recipient gets exactly one email', async () => {
    const { id, emails } = await draftWithRecipients(api, 20, { batch: { size: 5, gapMinutes: 2 / 60 } });
    expect((await api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await eventually(async () => (invitationsOf(fake, id).length >= 5 ? true : undefined));

    const restartMs = await server.restart();
    expect(invitationsOf(fake, id).length).toBeLessThan(20); // it really was mid-way
    expect(restartMs).toBeLessThan(60_000);

    await untilStatus(api, id, 'active', 60_000);
    await eventually(async () => (invitationsOf(fake, id).length >= 20 ? true : undefined), {
      timeoutMs: 60_000,
    });
    const counts = perRecipient(invitationsOf(fake, id));
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('when stopped, then the server exits and its frontend no longer accepts connections', async () => {
    await stack.close();
    const [host, port] = server.address.split(':');
    await server.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(Number(port), host);
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    expect(fs.readFileSync(server.logFile, 'utf8')).not.toContain('"level":"fatal"');
  });
});
