import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { INVALID_ARGUMENT } from '../../domain/failures';
import type { CommandRequest, CommandResult } from '../../workflows/campaign/messages';
import {
  type AppError,
  ConflictError,
  InsufficientBalanceError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../errors';

/**
 * How the API reads the campaign workflow's answer to a command. The workflow decides (and
 * audits) every refusal; these pure functions only turn its answer into the API's errors.
 */

export type Refusal = Extract<CommandResult, { ok: false }>;

/** Every command carries at most one argument, so the command names the field a refusal is about. */
const ARGUMENT_OF: Partial<Record<CommandRequest['type'], string>> = {
  reschedule: 'startAt',
  extendExpiry: 'expiresAt',
  resend: 'inviteId',
  setMaxFailurePercent: 'maxFailurePercent',
  setBatch: 'batch',
};

/** The request field an `invalid_argument` answer to this command is about. */
export const argumentOf = (command: CommandRequest['type']): string => ARGUMENT_OF[command] ?? '(body)';

/** The domain error that answers a command the workflow refused. */
export function refusalError(command: CommandRequest['type'], refusal: Refusal): AppError {
  switch (refusal.code) {
    case 'invalid_state':
      return new InvalidStateError(command, refusal.status);
    case 'insufficient_balance':
      return new InsufficientBalanceError(refusal.requiredCents, refusal.availableCents);
    case 'invalid_argument':
      return new ValidationError([{ field: argumentOf(command), message: refusal.detail }]);
    case 'not_found':
      return new NotFoundError(refusal.detail);
    case 'delivery_failed':
      return new ConflictError(`The email was not accepted: ${refusal.detail}`);
  }
}

/**
 * Why sending a command failed without an answer:
 * - `rejected`: the update's validator refused its arguments before they reached history;
 * - `ended`: the workflow has finished with its campaign, so nothing can apply a command;
 * - `unavailable`: Temporal did not answer (the caller may retry).
 */
export type UpdateFailure =
  { kind: 'rejected'; detail: string } | { kind: 'ended' } | { kind: 'unavailable' };

export function updateFailure(err: unknown): UpdateFailure {
  if (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === INVALID_ARGUMENT
  )
    return { kind: 'rejected', detail: err.cause.message };
  if (
    err instanceof WorkflowNotFoundError ||
    err instanceof WorkflowUpdateFailedError ||
    /completed|not found/i.test(String(err))
  )
    return { kind: 'ended' };
  return { kind: 'unavailable' };
}
