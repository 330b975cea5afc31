import type { Balancer } from './balancer';
import type { RehearsalCampaign } from './load';

/**
 * A steady reader beside the load, as a dashboard would be: every `everyMs` one account's
 * campaign list and one of its campaigns, in turn (latency series `reader`). It also checks
 * scoping: a list holds only the key's own campaigns, and another account's campaign is a 404.
 */
export function startReader(balancer: Balancer, campaigns: RehearsalCampaign[], everyMs = 250) {
  const violations: string[] = [];
  const errors: string[] = [];
  let stopped = false;
  let round = 0;
  const accounts = [...new Map(campaigns.map((c) => [c.account.accountId, c.account])).values()];
  const done = (async () => {
    while (!stopped) {
      const started = Date.now();
      const account = accounts[round % accounts.length];
      const own = campaigns.filter((c) => c.account === account);
      const one = own[Math.floor(round / accounts.length) % own.length];
      try {
        const list = await balancer.get<{ data: { id: string }[] }>(
          '/v1/campaigns?limit=100',
          account.key,
          'reader',
        );
        if (list.status !== 200) errors.push(`GET /v1/campaigns answered ${list.status}`);
        else
          for (const row of list.body.data)
            if (!own.some((c) => c.id === row.id))
              violations.push(`account ${account.index}'s list holds campaign ${row.id} of another account`);
        const got = await balancer.get(`/v1/campaigns/${one.id}`, account.key, 'reader');
        if (got.status !== 200) errors.push(`GET /v1/campaigns/:id answered ${got.status}`);
        // Every tenth round: another account's campaign, by id, with this key.
        const other = campaigns.find((c) => c.account !== account);
        if (other && round % 10 === 0) {
          const foreign = await balancer.get(`/v1/campaigns/${other.id}`, account.key, 'scoping');
          if (foreign.status !== 404)
            violations.push(`account ${account.index} read another account's campaign: ${foreign.status}`);
        }
      } catch (err) {
        errors.push((err as Error).message);
      }
      round++;
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - started))));
    }
  })();
  return {
    violations,
    errors,
    rounds: () => round,
    async stop() {
      stopped = true;
      await done;
    },
  };
}
