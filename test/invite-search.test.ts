import { draft } from './support/campaigns';
import { useAccount, useStack } from './support/stack';

describe('Searching the participant list by name or address', () => {
  const stack = useStack();
  const { api } = useAccount(stack, 100_000);
  const other = useAccount(stack, 100_000);
  let id: string;

  beforeAll(async () => {
    id = await draft(api, {}, 1); // one link-only invite
    const recipients = [
      { email: 'ada@example.com', name: 'Ada Lovelace' },
      { email: 'grace@navy.example', name: 'Grace Hopper' },
      { email: 'pure@example.com', name: '100% Pure' },
      { email: 'ab@example.com', name: 'a_b' },
      { email: 'adam.smith@example.org', name: null },
    ].map((r) => (r.name ? r : { email: r.email }));
    expect((await api.post(`/v1/campaigns/${id}/invites/bulk`, { recipients })).status).toBe(201);
  });

  const search = async (query: string) => {
    const answer = await api.request('GET', `/v1/campaigns/${id}/invites?${query}`);
    expect(answer.status).toBe(200);
    return (answer.body as unknown as { data: { name: string | null; email: string | null }[] }).data
      .map((i) => i.name ?? i.email)
      .sort();
  };

  it('when the owner searches, then invites whose name or address contains the text come back, letter case aside', async () => {
    expect(await search('q=ada')).toEqual(['Ada Lovelace', 'adam.smith@example.org']);
    expect(await search('q=LOVELACE')).toEqual(['Ada Lovelace']);
    expect(await search('q=navy')).toEqual(['Grace Hopper']);
    expect(await search(`q=${encodeURIComponent(' Hopper ')}`)).toEqual(['Grace Hopper']);
    expect(await search('q=nobody')).toEqual([]);
  });

  it('when the text holds % or _, then they are taken literally', async () => {
    expect(await search('q=%25')).toEqual(['100% Pure']);
    expect(await search('q=_')).toEqual(['a_b']);
  });

  it('when a search is combined with the filters, then both apply; link-only invites have no address to match', async () => {
    expect(await search('q=example.com&assigned=true')).toEqual(['100% Pure', 'Ada Lovelace', 'a_b']);
    expect(await search('q=example&assigned=false')).toEqual([]);
    expect(await search('q=example&status=used')).toEqual([]);
  });

  it('when results span pages, then the cursor walks them as without a search', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer = await api.request(
        'GET',
        `/v1/campaigns/${id}/invites?q=example&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const body = answer.body as unknown as { data: { email: string }[]; nextCursor: string | null };
      expect(body.data.length).toBeLessThanOrEqual(1);
      seen.push(...body.data.map((i) => i.email));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([
      'ab@example.com',
      'ada@example.com',
      'adam.smith@example.org',
      'grace@navy.example',
      'pure@example.com',
    ]);
  });

  it('when the search is empty or too long, or the campaign is another account’s, then it is refused', async () => {
    expect((await api.request('GET', `/v1/campaigns/${id}/invites?q=%20`)).status).toBe(400);
    expect((await api.request('GET', `/v1/campaigns/${id}/invites?q=${'x'.repeat(201)}`)).status).toBe(400);
    expect((await other.api.request('GET', `/v1/campaigns/${id}/invites?q=ada`)).status).toBe(404);
  });
});
