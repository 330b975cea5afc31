/**
 * The campaign workflow: it owns the campaign's status. Handlers only record what arrived;
 * one loop applies commands in order, then takes one step of its own (a due timer, a chunk
 * of sending), then waits on one timer (the nearest deadline), woken early by any command.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  setCurrentDetails,
  setDefaultSignalHandler,
  setHandler,
  type SignalDefinition,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { SIGNAL_ACTOR } from '../../domain/campaign';
import { INVALID_ARGUMENT } from '../../domain/failures';
import { CampaignStatusKey } from '../search-attributes';
import { database, useHeartbeatTimeout } from './activities';
import { applyOrRefuse } from './commands';
import type { Run } from './effects';
import {
  cancelSignal,
  type CampaignWorkflowInput,
  deliverabilityGuardSignal,
  commandUpdate,
  type CommandResult,
  extendExpirySignal,
  invitesAddedSignal,
  launchSignal,
  pauseSignal,
  resendSignal,
  rescheduleSignal,
  resumeSignal,
  sendingPolicyChangedSignal,
  statusQuery,
} from './messages';
import { commandProblem, guardArgument } from './policies';
import {
  type CampaignState,
  describeForOps,
  ended,
  initialState,
  nextDeadline,
  type QueuedCommand,
  statusView,
} from './state';
import { fireDueTimers, rearmDeadlines, sendStep, startCalendarCancel } from './steps';

/** The server suggests continue-as-new at 4,096 events and warns at 10,240. */
const DEFAULT_HISTORY_BOUND = 4_000;

/** A signal's argument as the command it stands for; unchecked, as ops typed it. */
function fromSignal(name: string, arg: unknown): QueuedCommand['request'] | null {
  const a = (arg ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'launch':
    case 'resume':
    case 'cancel':
    case 'invitesAdded':
      return { type: name };
    case 'pause':
      return { type: 'pause', reason: a.reason as string | undefined };
    case 'extendExpiry':
      return { type: 'extendExpiry', expiresAt: a.expiresAt as string };
    case 'reschedule':
      return { type: 'reschedule', startAt: a.startAt as string };
    case 'resend':
      return { type: 'resend', inviteId: a.inviteId as string, reset: a.reset === true };
    case 'deliverabilityGuard':
      return guardArgument(a);
    default:
      return null;
  }
}

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<void> {
  const { campaignId, accountId } = input;
  const bound = input.historyBound ?? DEFAULT_HISTORY_BOUND;
  useHeartbeatTimeout(input.heartbeatTimeoutMs);
  const results = new Map<number, CommandResult>();
  let nextTicket = 1;
  let state: CampaignState | undefined = input.state;
  const early: QueuedCommand[] = [];
  const enqueue = (cmd: QueuedCommand): void => {
    (state ? state.inbox : early).push(cmd);
  };

  // Handlers only record what arrived; the main loop applies it, in order.
  const onSignal = (name: string, arg: unknown): void => {
    const request = fromSignal(name, arg);
    if (request) enqueue({ request, actor: SIGNAL_ACTOR });
    else log.warn('ignored a signal this workflow does not know', { name });
  };
  // The default handler goes first: signals that reached this run before any handler
  // existed (its first activation, e.g. right after continue-as-new) are then dispatched in
  // arrival order. Named handlers alone would drain them grouped by name, so a burst of
  // pause/resume would be replayed as all pauses, then all resumes.
  setDefaultSignalHandler((name, arg) => onSignal(name, arg));
  for (const signal of [
    launchSignal,
    pauseSignal,
    resumeSignal,
    cancelSignal,
    extendExpirySignal,
    rescheduleSignal,
    resendSignal,
    invitesAddedSignal,
    deliverabilityGuardSignal,
  ]) {
    setHandler(signal as SignalDefinition<[unknown?]>, (arg?: unknown) => onSignal(signal.name, arg));
  }
  setHandler(
    commandUpdate,
    async ({ actor, ...request }) => {
      const ticket = nextTicket++;
      enqueue({ request, actor, ticket });
      await condition(() => results.has(ticket));
      const result = results.get(ticket)!;
      results.delete(ticket);
      return result;
    },
    {
      // Malformed arguments never reach history: the caller gets an `invalid_argument` failure.
      validator: (arg) => {
        const problem = commandProblem(arg);
        if (problem !== null)
          throw ApplicationFailure.create({ type: INVALID_ARGUMENT, message: problem, nonRetryable: true });
      },
    },
  );
  setHandler(statusQuery, () => statusView(campaignId, state));
  // Not a command: nothing to refuse or audit, only a wait to work out again (the sending
  // activity reads the policy from the rows).
  let nudged = false;
  setHandler(sendingPolicyChangedSignal, () => {
    if (!state) return;
    state.waiting = null;
    state.deadlines.dirty = true;
    nudged = true;
  });

  if (!state) state = initialState(await database.loadCampaign(campaignId), early);
  const s: CampaignState = state;
  const run: Run = { campaignId, accountId, s };
  upsertSearchAttributes([{ key: CampaignStatusKey, value: s.status }]);
  upsertMemo({ name: input.name });

  const answer = async (cmd: QueuedCommand) => {
    const result = await applyOrRefuse(run, cmd);
    // A command can make a timer due (a past start date): answer with what that produced.
    await fireDueTimers(run);
    if (cmd.ticket !== undefined)
      results.set(cmd.ticket, result.ok ? { ...result, status: s.status } : result);
  };

  // ---- Main loop: one timer (the nearest deadline), woken early by any command ----

  const mustContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > bound;
  for (;;) {
    nudged = false;
    while (s.inbox.length > 0 && !mustContinueAsNew()) await answer(s.inbox.shift()!);
    await fireDueTimers(run);
    startCalendarCancel(run);
    if (ended(s) || mustContinueAsNew()) break;
    if (await sendStep(run)) continue;
    if (await rearmDeadlines(run)) continue;
    const deadline = nextDeadline(s);
    setCurrentDetails(describeForOps(s, deadline));
    const wake = () => s.inbox.length > 0 || mustContinueAsNew() || nudged;
    if (deadline === null) await condition(wake);
    else if (deadline > Date.now()) await condition(wake, deadline - Date.now());
  }

  // An update's caller is waiting in this run, so answer every queued update (and, to keep
  // order, the signals before it); the remaining signals travel in the carried inbox. A
  // finished campaign answers everything, as refusals.
  const mustAnswer = () => (ended(s) ? s.inbox.length > 0 : s.inbox.some((c) => c.ticket !== undefined));
  for (;;) {
    while (mustAnswer()) await answer(s.inbox.shift()!);
    if (allHandlersFinished()) break;
    await condition(() => mustAnswer() || allHandlersFinished());
  }
  startCalendarCancel(run); // ended while answering: the next run makes the pass
  if (ended(s)) {
    log.info('campaign finished', { campaignId, status: s.status });
    return;
  }
  await continueAsNew<typeof campaignWorkflow>({ ...input, state: { ...s, runCount: s.runCount + 1 } });
}
