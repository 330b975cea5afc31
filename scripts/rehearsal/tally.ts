import type { FakePostmark } from '../../test/support/postmark-server';

/**
 * Counts what the local Postmark server accepted, per campaign, kind and recipient, as it
 * arrives. A message once counted keeps only what the server's searches read (token, recipient,
 * metadata): 100,000 rendered bodies would otherwise sit in this process's memory.
 */
export class Tally {
  /** `${campaignId} ${kind}` → recipient → emails. */
  private readonly counts = new Map<string, Map<string, number>>();
  readonly byKind = new Map<string, number>();
  private seen = 0;
  firstAt = 0;
  lastInvitationAt = 0;
  /** Invitations per second, bucketed by second since the first. */
  readonly perSecond: number[] = [];

  constructor(private readonly fake: FakePostmark) {}

  update(): void {
    const sent = this.fake.sent;
    for (; this.seen < sent.length; this.seen++) {
      const m = sent[this.seen];
      const kind = m.Metadata.kind ?? 'unknown';
      const campaignId = m.Metadata.campaignId ?? '-';
      const key = `${campaignId} ${kind}`;
      let recipients = this.counts.get(key);
      if (!recipients) this.counts.set(key, (recipients = new Map()));
      const to = m.To.toLowerCase();
      recipients.set(to, (recipients.get(to) ?? 0) + 1);
      this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
      if (kind === 'invitation') {
        const at = m.receivedAt.getTime();
        if (!this.firstAt) this.firstAt = at;
        this.lastInvitationAt = Math.max(this.lastInvitationAt, at);
        const second = Math.floor((at - this.firstAt) / 1000);
        while (this.perSecond.length <= second) this.perSecond.push(0);
        this.perSecond[second]++;
      }
      m.HtmlBody = undefined;
      m.TextBody = undefined;
      m.Attachments = [];
      m.Headers = [];
    }
  }

  total(): number {
    return this.seen;
  }

  recipients(campaignId: string, kind: string): Map<string, number> {
    return this.counts.get(`${campaignId} ${kind}`) ?? new Map();
  }

  kindCount(kind: string): number {
    return this.byKind.get(kind) ?? 0;
  }
}
