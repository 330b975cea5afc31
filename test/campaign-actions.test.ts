import {
  CAMPAIGN_STATUSES,
  type CampaignStatus,
  LAUNCHED_STATUSES,
  SENDING_STATUSES,
  STARTED_STATUSES,
  TERMINAL_STATUSES,
} from '../domain/campaign';
import { CAMPAIGN_ACTIONS, campaignActions } from '../domain/campaign-actions';
import { priceOf } from '../money/price';

/** The named rules the API, the workflow and the console ask: pure, no server. */

/** Parses a table whose first row names the columns and each next row starts with its own name. */
const table = (text: string) => {
  const [header, ...lines] = text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  return { header, rows: lines.map(([name, ...cells]) => ({ name, cells })) };
};

/** "expired+grace": expired, within its account's grace after expiry; "expired": past it. */
const statusOf = (column: string) => ({
  status: (column === 'expired+grace' ? 'expired' : column) as CampaignStatus,
  inGrace: column === 'expired+grace',
});
const described = (column: string) =>
  column === 'expired+grace'
    ? 'an expired campaign within its grace'
    : column === 'expired'
      ? 'an expired campaign past its grace'
      : `${/^[aeiou]/.test(column) ? 'an' : 'a'} ${column} campaign`;

describe('What a caller may do to a campaign now (the view’s actions)', () => {
  // A: an admin key may; S: a support key may too; -: nobody may.
  const { header, rows } = table(`
                             draft  scheduled  launching  active  paused  expired+grace  expired  cancelled
    launch                     A        -          -        -       -           -           -         -
    pause                      -        S          S        S       -           -           -         -
    resume                     -        -          -        -       S           -           -         -
    cancel                     A        A          A        A       A           -           -         -
    edit                       A        -          -        -       -           -           -         -
    reschedule                 A        A          -        -       A           -           -         -
    extend                     A        A          A        A       A           A           -         -
    change_event               A        A          A        A       A           -           -         -
    change_send_window         A        A          A        A       A           A           -         -
    change_link_settings       A        A          A        A       A           A           -         -
    set_max_failure_percent    A        A          A        A       A           -           -         -
    change_batch               A        A          A        A       A           -           -         -
    retry_failed               -        -          A        A       A           -           -         -
    add_invites                A        A          A        A       A           -           -         -
    resend                     -        -          S        S       -           -           -         -
    reset                      -        -          S        S       -           -           -         -
    preview                    S        S          S        S       S           -           -         -
    test_send                  A        A          A        A       A           -           -         -
  `);

  it('has a column for every status and a row for every action', () => {
    expect(header.filter((c) => c !== 'expired+grace')).toEqual([...CAMPAIGN_STATUSES]);
    expect(rows.map((r) => r.name)).toEqual([...CAMPAIGN_ACTIONS]);
  });

  const cases = rows.flatMap(({ name, cells }) =>
    cells.flatMap((cell, k) =>
      (['admin', 'support'] as const).map((role) => {
        const may = cell === 'S' || (cell === 'A' && role === 'admin');
        return [
          `${described(header[k])}: ${role} ${may ? 'may' : 'may not'} ${name}`,
          header[k],
          name,
          role,
          may,
        ] as const;
      }),
    ),
  );
  it.each(cases)('when %s', (_sentence, column, action, role, may) => {
    const { status, inGrace } = statusOf(column);
    expect(campaignActions(status, inGrace, role).includes(action as (typeof CAMPAIGN_ACTIONS)[number])).toBe(
      may,
    );
  });

  it('when an expired campaign’s grace is over, then not even an admin may extend it: nothing is left to do', () => {
    expect(campaignActions('expired', false, 'admin')).toEqual([]);
    expect(campaignActions('expired', true, 'admin')).toEqual([
      'extend',
      'change_send_window',
      'change_link_settings',
    ]);
  });
});

describe('The named sets of statuses', () => {
  // Y: in the set.
  const { header, rows } = table(`
                 draft  scheduled  launching  active  paused  expired  cancelled
    sending        -        -          Y        Y       -        -         -
    started        -        -          Y        Y       Y        -         -
    launched       -        Y          Y        Y       Y        -         -
    terminal       -        -          -        -       -        Y         Y
  `);
  const SETS = {
    sending: SENDING_STATUSES,
    started: STARTED_STATUSES,
    launched: LAUNCHED_STATUSES,
    terminal: TERMINAL_STATUSES,
  };

  it('has a column for every status', () => {
    expect(header).toEqual([...CAMPAIGN_STATUSES]);
  });
  it.each(rows.map(({ name, cells }) => [name, cells] as const))(
    'when the %s set is asked, then it holds exactly its statuses',
    (name, cells) => {
      const expected = header.filter((_, k) => cells[k] === 'Y');
      expect([...SETS[name as keyof typeof SETS]].sort()).toEqual(expected.sort());
    },
  );
});

describe('The price of invites', () => {
  it('when a campaign costs 10 cents per invite, then 7 invites cost 70 cents and none cost nothing', () => {
    expect(priceOf(7, { costPerInviteCents: 10 })).toBe(70);
    expect(priceOf(0, { costPerInviteCents: 10 })).toBe(0);
  });
});
