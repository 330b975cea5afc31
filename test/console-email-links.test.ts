import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { openConsole, signIn } from './support/console';
import { untilStatus } from './support/campaigns';
import { draftWithRecipients } from './support/delivery';
import { eventually, useAccount, usePostmarkStack } from './support/stack';

/** "Label: address" lines of an owner email's text part, as the address path the console opens. */
function linkIn(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`${label}: `));
  if (!line) throw new Error(`no "${label}" link in:\n${text}`);
  const url = new URL(line.slice(label.length + 2));
  return `${url.pathname}${url.search}${url.hash}`;
}

describe("The owner's emails lead back into the console", () => {
  const { stack, fake } = usePostmarkStack();
  const owner = useAccount(stack, 10_000_000);
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('when a campaign finished with a failed address, then the summary links to the campaign and to its participant list filtered to the failed, which opens after signing in', async () => {
    const { id, emails } = await draftWithRecipients(owner.api, 3, {});
    fake.rejectRecipient(emails[1], 300);
    expect((await owner.api.post(`/v1/campaigns/${id}/launch`)).status).toBe(200);
    await untilStatus(owner.api, id, 'active', 20_000);
    const summary = await eventually(async () =>
      fake.sent.find(
        (m) =>
          m.To === owner.ownerEmail && m.Metadata.campaignId === id && m.Subject.includes('finished sending'),
      ),
    );
    expect(new URL(summary.TextBody!.match(/View the campaign: (\S+)/)![1]).origin).toBe(
      new URL(stack.config.publicBaseUrl).origin,
    );
    expect(linkIn(summary.TextBody!, 'View the campaign')).toBe(`/console/campaigns/${id}`);
    const failedLink = linkIn(summary.TextBody!, 'See the failed invites');
    expect(failedLink).toBe(`/console/campaigns/${id}?delivery=failed`);

    // The API filter the link stands for: the failed invite only.
    const failed = await owner.api.get(`/v1/campaigns/${id}/invites?delivery=failed`);
    expect(failed.status).toBe(200);
    expect(failed.body.data.map((i) => i.email)).toEqual([emails[1]]);
    expect((await owner.api.get(`/v1/campaigns/${id}/invites?delivery=sent`)).status).toBe(400);

    // A support key follows it too, in a browser that was not signed in.
    const supportKey = await stack.newKey(owner.accountId, 'support');
    const tab = await openConsole(browser, stack.baseUrl, { at: failedLink });
    try {
      await signIn(tab.page, supportKey);
      const list = tab.page.getByRole('region', { name: 'Participants', exact: true });
      expect(await list.getByLabel('Delivery').inputValue()).toBe('failed');
      await list.getByRole('row').filter({ hasText: emails[1] }).waitFor();
      expect(await list.getByRole('row').filter({ hasText: emails[0] }).count()).toBe(0);
      expect(await list.getByRole('row').filter({ hasText: emails[2] }).count()).toBe(0);
      // Clearing the filter shows everyone again.
      await list.getByLabel('Delivery').selectOption('');
      await list.getByRole('row').filter({ hasText: emails[0] }).waitFor();
    } finally {
      await tab.close();
    }
  });

  it("when the owner follows the token alert's link, then Settings opens at the email sender form, ready for the new token", async () => {
    const tab = await openConsole(browser, stack.baseUrl, { at: '/console/settings#email-sender' });
    try {
      await signIn(tab.page, owner.adminKey);
      const token = tab.page.getByLabel('Postmark server token');
      await eventually(async () =>
        (await token.evaluate((el) => el === el.ownerDocument.activeElement)) ? true : undefined,
      );
      await tab.page.getByRole('form', { name: 'Email sender' }).waitFor();
    } finally {
      await tab.close();
    }
  });
});
