import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isTerminal } from '../../../domain/campaign';
import { api, ApiError, call, type Campaign, type CampaignAction, type Problem } from '../api/client';
import { clock, money, PAUSE_REASON, STATUS_LABEL, WAIT_REASON, when } from '../format';
import { usePoll } from '../poll';
import { href } from '../router';
import { isAdmin } from '../session';
import { ConfirmDialog, ErrorMessage, Notice, StatusBadge } from '../ui/components';
import { AddRecipients } from './add-recipients';
import {
  batchesInWords,
  ChangeBatchesDialog,
  ExtendExpiryDialog,
  UpdateCalendarInvitesDialog,
  updatesCalendars,
} from './batch-sending';
import { EmailPreviewPanel, TestSendPanel } from './email-preview';
import { Participants } from './participants';
import { Progress } from './progress';

type Action = 'launch' | 'pause' | 'resume' | 'cancel' | 'retry';
/** What the edit form changes: the draft's own fields, the dates, the event and the settings. */
const EDITS: CampaignAction[] = [
  'edit',
  'reschedule',
  'extend',
  'change_event',
  'change_send_window',
  'change_link_settings',
  'set_max_failure_percent',
];
const DONE: Record<Action, string> = {
  launch: 'Launched.',
  pause: 'Paused.',
  resume: 'Resumed.',
  cancel: 'Cancelled.',
  retry: 'Failed invitations queued to send again.',
};

/** What the campaign is waiting for next, in a sentence. */
function nextStep(c: Campaign): string {
  switch (c.status) {
    case 'draft':
      return 'Waiting for you to Launch it. Nothing is sent before that.';
    case 'scheduled':
      return `Waiting for its start date (${when(c.startAt)}): the first batch goes out then.`;
    case 'launching': {
      const left = c.progress.pending;
      const per =
        c.batch.size === null
          ? 'all at once'
          : `${c.batch.size} per batch, every ${c.batch.gapMinutes} minutes`;
      return `Sending invitations (${per}): ${left} still to send. It becomes Active once all have gone out.`;
    }
    case 'active':
      return c.expiresAt
        ? `All invitations are out. Waiting for participants until it expires (${when(c.expiresAt)}).`
        : 'All invitations are out. Waiting for participants; invites added now are sent on arrival.';
    case 'paused':
      return 'Waiting for Resume: no invitation or reminder goes out while paused. Links keep working.';
    default:
      return c.status === 'expired' && c.extendableUntil && Date.parse(c.extendableUntil) > Date.now()
        ? `Nothing: it has expired. Until ${when(c.extendableUntil)}, Extend expiry brings it back as it was.`
        : 'Nothing: the campaign has ended. Its data stays here.';
  }
}

/** The articles' "click the Expiration field": it opens the edit form. */
function ChangeLink({ id, what }: { id: string; what: string }) {
  return (
    <>
      {' '}
      <a href={href(`/campaigns/${id}/edit`)} aria-label={`Change the ${what}`}>
        Change
      </a>
    </>
  );
}

export function CampaignPage({ id }: { id: string }) {
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [balance, setBalance] = useState<Partial<Problem> | null>(null);
  const [senderProblem, setSenderProblem] = useState<string | null>(null);
  const [panel, setPanel] = useState<'preview' | 'test' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Action | null>(null);
  const [dialog, setDialog] = useState<'batches' | 'calendar' | 'extend' | null>(null);
  const [busy, setBusy] = useState(false);
  const [invitesVersion, setInvitesVersion] = useState(0);
  const lastProgress = useRef('');
  const invitesStale = useRef(false);

  const load = useCallback(async () => {
    try {
      const c = await call(api.GET('/v1/campaigns/{id}', { params: { path: { id } } }));
      setCampaign(c);
      const progress = JSON.stringify(c.progress) + c.status;
      if (lastProgress.current && lastProgress.current !== progress) invitesStale.current = true;
      lastProgress.current = progress;
    } catch (err) {
      setError((err as Error).message);
    }
  }, [id]);

  // One request per tick for the whole page: the campaign, or (the tick after its progress
  // moved) the invite table instead.
  const tick = useCallback(async () => {
    if (invitesStale.current) {
      invitesStale.current = false;
      setInvitesVersion((v) => v + 1);
      return;
    }
    await load();
  }, [load]);

  useEffect(() => {
    void load();
  }, [load]);
  usePoll(tick, campaign !== null && !isTerminal(campaign.status));

  const act = async (action: Action) => {
    setConfirm(null);
    setBusy(true);
    setError(null);
    setBalance(null);
    setSenderProblem(null);
    setNotice(null);
    try {
      const path = { params: { path: { id } } };
      const c = await call(
        action === 'launch'
          ? api.POST('/v1/campaigns/{id}/launch', path)
          : action === 'pause'
            ? api.POST('/v1/campaigns/{id}/pause', { ...path, body: {} })
            : action === 'resume'
              ? api.POST('/v1/campaigns/{id}/resume', path)
              : action === 'retry'
                ? api.POST('/v1/campaigns/{id}/retry-failed', path)
                : api.POST('/v1/campaigns/{id}/cancel', path),
      );
      setCampaign(c);
      setNotice(`${DONE[action]} The campaign was ${STATUS_LABEL[c.status]} when it answered.`);
      setInvitesVersion((v) => v + 1);
    } catch (err) {
      if (err instanceof ApiError && err.problem.code === 'insufficient_balance') setBalance(err.problem);
      else if (err instanceof ApiError && err.problem.code === 'sender_not_ready')
        setSenderProblem(err.problem.detail ?? err.message);
      else setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  /** A dialog's change went through: the campaign as the API answered, and a notice. */
  const done = (saved: Campaign, message: string) => {
    setDialog(null);
    setCampaign(saved);
    setNotice(message);
  };

  if (!campaign)
    return (
      <section>
        <p>
          <a href={href('/')}>← Campaigns</a>
        </p>
        {error ? <ErrorMessage error={error} /> : <p>Loading…</p>}
      </section>
    );

  const c = campaign;
  const admin = isAdmin();
  // The API says what this key may do now (by status, grace and role): the page only draws it.
  const may = (action: CampaignAction) => c.actions.includes(action);
  return (
    <section>
      <p>
        <a href={href('/')}>← Campaigns</a>
      </p>
      <div class="title-row">
        <h1>{c.name}</h1>
        <StatusBadge status={c.status} />
        {c.waiting ? (
          <span class="waiting">
            Waiting ({WAIT_REASON[c.waiting.reason]}) until {clock(c.waiting.until)}
          </span>
        ) : null}
      </div>
      {c.description ? <p class="description">{c.description}</p> : null}

      <div class="actions" role="group" aria-label="Campaign actions">
        {may('launch') ? (
          <button type="button" class="primary" disabled={busy} onClick={() => setConfirm('launch')}>
            Launch
          </button>
        ) : null}
        {may('pause') ? (
          <button type="button" disabled={busy} onClick={() => act('pause')}>
            Pause
          </button>
        ) : null}
        {may('resume') ? (
          <button type="button" class="primary" disabled={busy} onClick={() => act('resume')}>
            Resume
          </button>
        ) : null}
        {may('retry_failed') && c.progress.failed > 0 ? (
          <button type="button" disabled={busy} onClick={() => act('retry')}>
            Retry failed
          </button>
        ) : null}
        {may('extend') && c.status === 'expired' ? (
          <button type="button" class="primary" disabled={busy} onClick={() => setDialog('extend')}>
            Extend expiry
          </button>
        ) : null}
        {may('change_batch') ? (
          <button type="button" disabled={busy} onClick={() => setDialog('batches')}>
            Change batches
          </button>
        ) : null}
        {updatesCalendars(c) ? (
          <button type="button" disabled={busy} onClick={() => setDialog('calendar')}>
            Update Calendar Invites
          </button>
        ) : null}
        {may('cancel') ? (
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirm('cancel')}>
            Cancel
          </button>
        ) : null}
        {EDITS.some(may) ? (
          <a class="button" href={href(`/campaigns/${c.id}/edit`)}>
            Edit
          </a>
        ) : null}
        <a class="button" href={href(`/campaigns/${c.id}/audit`)}>
          Audit log
        </a>
        <a class="button" href={href(`/campaigns/${c.id}/analytics`)}>
          Analytics
        </a>
        {may('preview') ? (
          <button
            type="button"
            aria-expanded={panel === 'preview'}
            onClick={() => setPanel(panel === 'preview' ? null : 'preview')}
          >
            Preview
          </button>
        ) : null}
        {may('test_send') ? (
          <button
            type="button"
            aria-expanded={panel === 'test'}
            onClick={() => setPanel(panel === 'test' ? null : 'test')}
          >
            Send a test
          </button>
        ) : null}
      </div>

      {panel === 'preview' ? <EmailPreviewPanel campaignId={c.id} onClose={() => setPanel(null)} /> : null}
      {panel === 'test' ? <TestSendPanel campaignId={c.id} onClose={() => setPanel(null)} /> : null}
      {senderProblem ? (
        <div class="error" role="alert">
          <strong>The campaign was not launched: your sender is not ready</strong>
          <p>
            {senderProblem}
            {admin ? (
              <>
                {' '}
                <a href={href('/settings')}>Go to Settings to fix the sender</a>, then launch again.
              </>
            ) : null}
          </p>
        </div>
      ) : null}

      {balance ? (
        <div class="error" role="alert">
          <strong>Your balance doesn't cover this campaign</strong>
          <p>
            {balance.requiredCents !== undefined && balance.availableCents !== undefined
              ? `Launching needs ${money(balance.requiredCents)}; ${money(balance.availableCents)} is available.`
              : balance.detail}{' '}
            <a href={href('/billing')}>Go to Billing to add funds</a>, then launch again.
          </p>
        </div>
      ) : null}
      <ErrorMessage error={error} />
      <Notice message={notice} />

      <dl class="details">
        <div>
          <dt>Next</dt>
          <dd>{nextStep(c)}</dd>
        </div>
        {c.status === 'paused' ? (
          <div>
            <dt>Pause reason</dt>
            <dd>
              {c.pausedReason ? (PAUSE_REASON[c.pausedReason] ?? c.pausedReason) : '—'}
              {c.pausedReason === 'email_token_invalid' && admin ? (
                <>
                  {' '}
                  <a href={href('/settings')}>Renew the email token in Settings</a>
                </>
              ) : null}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Progress</dt>
          <dd>
            <Progress progress={c.progress} />
          </dd>
        </div>
        <div>
          <dt>Schedule</dt>
          <dd>
            {c.startAt ? `Starts ${when(c.startAt)}` : 'Starts when launched'}
            {may('reschedule') ? <ChangeLink id={c.id} what="start date" /> : null}
          </dd>
        </div>
        <div>
          <dt>Expiration</dt>
          <dd>
            {when(c.expiresAt, 'Never')}
            {may('extend') ? <ChangeLink id={c.id} what="expiration" /> : null}
          </dd>
        </div>
        <div>
          <dt>Batches</dt>
          <dd>{batchesInWords(c.batch)}</dd>
        </div>
        <div>
          <dt>Reservation</dt>
          <dd>
            {money(c.reservedCents)} reserved ({money(c.costPerInviteCents)} per invite)
          </dd>
        </div>
        <div>
          <dt>Recipient page</dt>
          {/* A long URL wraps instead of widening the page (no horizontal scrolling on a phone). */}
          <dd style={{ overflowWrap: 'anywhere' }}>
            {c.landingUrl ? `Your page: ${c.landingUrl}` : "Herald's own page"}
            {c.requireEmailMatch ? ' (asks for the recipient’s email address first)' : ''}
          </dd>
        </div>
        {c.event ? (
          <div>
            <dt>Calendar event</dt>
            <dd>
              {c.event.title}, {when(c.event.startsAt)} ({c.event.durationMinutes} min)
              {c.event.location ? `, ${c.event.location}` : ''}
            </dd>
          </div>
        ) : null}
      </dl>

      <Participants campaign={c} version={invitesVersion} />
      {may('add_invites') ? (
        <AddRecipients
          campaignId={c.id}
          onAdded={() => {
            setInvitesVersion((v) => v + 1);
            void load();
          }}
        />
      ) : null}

      {dialog === 'batches' ? (
        <ChangeBatchesDialog
          campaign={c}
          onClose={() => setDialog(null)}
          onSaved={(saved) => done(saved, `Batches saved: ${batchesInWords(saved.batch).toLowerCase()}.`)}
        />
      ) : null}
      {dialog === 'calendar' ? (
        <UpdateCalendarInvitesDialog
          campaign={c}
          onClose={() => setDialog(null)}
          onDone={(saved) => done(saved, 'Calendar updates are on their way to everyone already invited.')}
        />
      ) : null}
      {dialog === 'extend' ? (
        <ExtendExpiryDialog
          campaign={c}
          onClose={() => setDialog(null)}
          onSaved={(saved) =>
            done(saved, `Expiry extended. The campaign was ${STATUS_LABEL[saved.status]} when it answered.`)
          }
        />
      ) : null}
      {confirm === 'launch' ? (
        <ConfirmDialog
          title="Launch this campaign?"
          confirmLabel="Launch now"
          onConfirm={() => act('launch')}
          onClose={() => setConfirm(null)}
        >
          <p>
            Launching reserves {money(c.costPerInviteCents)} per invite ({c.progress.total} invites) from your
            balance and{' '}
            {c.startAt && new Date(c.startAt) > new Date()
              ? `sends from ${when(c.startAt)}`
              : 'starts sending now'}
            .
          </p>
        </ConfirmDialog>
      ) : null}
      {confirm === 'cancel' ? (
        <ConfirmDialog
          title="Cancel this campaign?"
          confirmLabel="Cancel campaign"
          onConfirm={() => act('cancel')}
          onClose={() => setConfirm(null)}
        >
          <p>This cannot be undone: every link stops working and nothing more is sent.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
