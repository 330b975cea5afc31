import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { argumentOf, refusalError, updateFailure } from '../api/usecases/command-answers';
import {
  accepts,
  acceptsInvites,
  allows,
  CAMPAIGN_STATUSES,
  type Command,
  editable,
  graceLasts,
  invalidStateReason,
  revivable,
} from '../domain/campaign';
import { INVALID_ARGUMENT } from '../domain/failures';

const COMMANDS: Command[] = [
  'launch',
  'pause',
  'resume',
  'cancel',
  'extendExpiry',
  'reschedule',
  'resend',
  'retryFailed',
  'invitesAdded',
  'eventChanged',
  'setMaxFailurePercent',
  'setBatch',
];

describe('Which commands a campaign accepts (domain/campaign.ts)', () => {
  it('when a campaign is over (expired or cancelled), then it takes no new recipients; in every other status it does', () => {
    expect(CAMPAIGN_STATUSES.filter((s) => !acceptsInvites(s))).toEqual(['expired', 'cancelled']);
  });

  it('when a campaign has not expired, then the grace has no say: it accepts what its status allows', () => {
    const differ = CAMPAIGN_STATUSES.filter((s) => s !== 'expired').flatMap((status) =>
      COMMANDS.filter((c) =>
        [true, false].some((inGrace) => accepts(status, c, inGrace) !== allows(status, c)),
      ),
    );
    expect(differ).toEqual([]);
  });

  it('when a campaign has expired, then it accepts extending its expiry while its grace lasts, and nothing else', () => {
    expect(COMMANDS.filter((c) => accepts('expired', c, true))).toEqual(['extendExpiry']);
    expect(COMMANDS.filter((c) => accepts('expired', c, false))).toEqual([]);
  });

  it('when a campaign is cancelled, then nothing revives it, grace or not', () => {
    expect(revivable('cancelled', true)).toBe(false);
    expect(COMMANDS.filter((c) => accepts('cancelled', c, true))).toEqual([]);
  });

  it('when the grace ends, then it no longer lasts at that instant; a campaign without one never had any', () => {
    const until = new Date('2025-06-01T12:00:00.000Z');
    expect(graceLasts(until, until.getTime() - 1)).toBe(true);
    expect(graceLasts(until, until.getTime())).toBe(false);
    expect(graceLasts(null, 0)).toBe(false);
    expect(revivable('expired', graceLasts(until, until.getTime() - 1))).toBe(true);
  });

  it("only a draft's own fields are editable, and only while it is a draft", () => {
    expect(CAMPAIGN_STATUSES.filter(editable)).toEqual(['draft']);
  });

  it('a refusal for the status reads the same whoever writes it', () => {
    expect(invalidStateReason('launch', 'cancelled')).toBe('invalid_state: cannot launch when cancelled');
  });
});

describe('How the API answers a command the workflow refused (api/usecases/command-answers.ts)', () => {
  it('when the status refuses it, then 409 invalid_state with the status the workflow saw', () => {
    const error = refusalError('launch', { ok: false, code: 'invalid_state', status: 'active' });
    expect(error).toMatchObject({ status: 409, code: 'invalid_state', currentStatus: 'active' });
  });

  it('when an argument is refused, then 400 naming the one field the command carries', () => {
    const refused = (type: Parameters<typeof argumentOf>[0]) =>
      refusalError(type, { ok: false, code: 'invalid_argument', status: 'draft', detail: 'no good' });
    expect(refused('reschedule')).toMatchObject({
      status: 400,
      errors: [{ field: 'startAt', message: 'no good' }],
    });
    expect(refused('extendExpiry')).toMatchObject({ errors: [{ field: 'expiresAt' }] });
    expect(refused('resend')).toMatchObject({ errors: [{ field: 'inviteId' }] });
    expect(refused('setMaxFailurePercent')).toMatchObject({ errors: [{ field: 'maxFailurePercent' }] });
    expect(refused('launch')).toMatchObject({ errors: [{ field: '(body)' }] });
  });

  it('when the balance does not cover it, then 402 with what is needed and what is there', () => {
    const error = refusalError('launch', {
      ok: false,
      code: 'insufficient_balance',
      status: 'draft',
      requiredCents: 50,
      availableCents: 20,
    });
    expect(error).toMatchObject({ status: 402, requiredCents: 50, availableCents: 20 });
  });

  it('when the invite is not there or its email was not accepted, then 404 or 409', () => {
    const notFound = refusalError('resend', { ok: false, code: 'not_found', status: 'active', detail: 'x' });
    const failed = refusalError('resend', {
      ok: false,
      code: 'delivery_failed',
      status: 'active',
      detail: 'inactive recipient',
    });
    expect(notFound).toMatchObject({ status: 404, code: 'not_found' });
    expect(failed).toMatchObject({ status: 409, message: 'The email was not accepted: inactive recipient' });
  });

  it("when the update's validator rejects the arguments, then it is a rejection with the validator's words", () => {
    const err = new WorkflowUpdateFailedError(
      'Workflow Update failed',
      ApplicationFailure.create({ message: 'startAt must be an ISO 8601 instant', type: INVALID_ARGUMENT }),
    );
    expect(updateFailure(err)).toEqual({ kind: 'rejected', detail: 'startAt must be an ISO 8601 instant' });
  });

  it('when the workflow has ended (not found, completed, or failed the update otherwise), then it is ended', () => {
    expect(updateFailure(new WorkflowNotFoundError('gone', 'campaign-1', undefined))).toEqual({
      kind: 'ended',
    });
    expect(updateFailure(new Error('workflow execution already completed'))).toEqual({ kind: 'ended' });
    expect(updateFailure(new WorkflowUpdateFailedError('Workflow Update failed', undefined))).toEqual({
      kind: 'ended',
    });
  });

  it('when Temporal does not answer, then it is unavailable', () => {
    expect(updateFailure(new Error('14 UNAVAILABLE: connection refused'))).toEqual({ kind: 'unavailable' });
  });
});
