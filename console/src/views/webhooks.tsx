import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, call, type components } from '../api/client';
import { clock, when } from '../format';
import { usePoll } from '../poll';
import { href, navigate } from '../router';
import { isAdmin } from '../session';
import { ConfirmDialog, ErrorMessage, Field, Notice } from '../ui/components';
import { SettingsNav } from './settings-nav';

type Endpoint = components['schemas']['WebhookEndpoint'];
type Delivery = components['schemas']['WebhookDelivery'];
type Attempt = components['schemas']['WebhookAttempt'];
type EventType = NonNullable<components['schemas']['CreateWebhookEndpoint']['events']>[number];

/** Every event type, with what it tells (the API refuses a list that names another). */
const EVENTS: Record<EventType, string> = {
  'campaign.status_changed': 'A campaign changed status (launched, paused, resumed, ended…)',
  'campaign.finished': 'A campaign sent its last batch (with counts)',
  'invite.sent': 'An invitation email went out',
  'invite.delivered': 'The mailbox accepted it',
  'invite.opened': 'The recipient opened it (with open tracking)',
  'invite.clicked': 'The recipient clicked a link in it (with link tracking)',
  'invite.viewed': 'The recipient opened their link',
  'invite.started': 'The recipient started',
  'invite.completed': 'The recipient completed',
  'invite.bounced': 'The address bounced',
  'invite.failed': 'The invitation could not be sent',
  'invite.expired': 'The invite expired',
  'invite.reset': 'The invite was reset & resent',
  'recipient.unsubscribed': 'A recipient unsubscribed',
};
const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

const eventsInWords = (events: Endpoint['events']) =>
  events === null ? 'All events (including types added later)' : events.join(', ');

const atOnceInWords = (n: number | null) =>
  n === null
    ? "Herald's default (16 unless configured); one invite's events in order"
    : n === 1
      ? '1: every event in the order it happened'
      : `${n}; one invite's events in order`;

/** How many requests the endpoint takes at once: a number, or empty for Herald's default. */
function AtOnce(props: { value: number | null; busy: boolean; onSave: (n: number | null) => void }) {
  const [typed, setTyped] = useState(props.value === null ? '' : String(props.value));
  return (
    <form
      class="card"
      aria-label="Requests at once"
      onSubmit={(ev) => {
        ev.preventDefault();
        props.onSave(typed.trim() === '' ? null : Number(typed));
      }}
    >
      <Field label="Requests at once" hint="1–64; empty: Herald's default. 1 keeps every event in order">
        <input
          type="number"
          min="1"
          max="64"
          value={typed}
          onInput={(ev) => setTyped(ev.currentTarget.value)}
        />
      </Field>
      <button type="submit" disabled={props.busy}>
        Save requests at once
      </button>
    </form>
  );
}

function stateInWords(e: Endpoint): string {
  if (e.state === 'enabled')
    return e.failingSince ? `Enabled — failing since ${when(e.failingSince)}, retrying` : 'Enabled';
  return e.disabledReason === 'manual'
    ? `Disabled by a person ${when(e.disabledAt)}: nothing is sent; events wait until it is enabled`
    : `Disabled ${when(e.disabledAt)}: it kept failing for the whole retry period (the owner was emailed)`;
}

/** The event types: all, or the ones ticked. `null` = all. */
function EventChoice(props: { value: EventType[] | null; onChange: (v: EventType[] | null) => void }) {
  const { value, onChange } = props;
  return (
    <fieldset>
      <legend>Event types</legend>
      <label class="check">
        <input type="radio" name="event-scope" checked={value === null} onChange={() => onChange(null)} />
        All events, including types added later
      </label>
      <label class="check">
        <input
          type="radio"
          name="event-scope"
          checked={value !== null}
          onChange={() => onChange(value ?? [])}
        />
        Only these:
      </label>
      {value !== null ? (
        <div class="subform">
          {EVENT_TYPES.map((t) => (
            <label class="check" key={t}>
              <input
                type="checkbox"
                checked={value.includes(t)}
                onChange={(e) =>
                  onChange(e.currentTarget.checked ? [...value, t] : value.filter((x) => x !== t))
                }
              />
              <span>
                <code>{t}</code> — {EVENTS[t]}
              </span>
            </label>
          ))}
        </div>
      ) : null}
    </fieldset>
  );
}

/** How a receiver checks that a request is Herald's: the Standard Webhooks rules, and code. */
function HowToVerify({ open = false }: { open?: boolean }) {
  return (
    <details open={open}>
      <summary>How to verify a request</summary>
      <p>
        Each request is a POST with a JSON body <code>{'{type, timestamp, data}'}</code> and three headers, as
        the Standard Webhooks specification says: <code>webhook-id</code> (the same on every retry of an
        event: ignore one you have seen), <code>webhook-timestamp</code> (Unix seconds: refuse one more than 5
        minutes away from your clock) and <code>webhook-signature</code> (<code>v1,</code> and a base64
        HMAC-SHA256).
      </p>
      <p>
        To check it by hand: take the secret after <code>whsec_</code> and base64-decode it; that is the key.
        Sign <code>{'{webhook-id}.{webhook-timestamp}.{raw body}'}</code> with HMAC-SHA256 and that key,
        base64-encode the result, and compare it (in constant time) with each <code>v1,</code> value in{' '}
        <code>webhook-signature</code>. Use the raw body exactly as received, before any JSON parsing.
      </p>
      <p>Or use a Standard Webhooks library, e.g. in Node.js:</p>
      <pre class="code">
        <code>{`import { Webhook } from 'standardwebhooks';

const wh = new Webhook(process.env.HERALD_WEBHOOK_SECRET); // whsec_…

// rawBody: the request body as text, exactly as received
const event = wh.verify(rawBody, {
  'webhook-id': req.headers['webhook-id'],
  'webhook-timestamp': req.headers['webhook-timestamp'],
  'webhook-signature': req.headers['webhook-signature'],
}); // throws when the signature or the timestamp is wrong
// event.type, event.timestamp, event.data`}</code>
      </pre>
    </details>
  );
}

/** Webhooks: the account's endpoints, and (admin) adding one, whose secret is shown once. */
export function Webhooks() {
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setEndpoints((await call(api.GET('/v1/webhook-endpoints'))).data);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section>
      <h1>Webhooks</h1>
      <SettingsNav />
      <p class="hint">
        Herald tells your own systems what happens — invitations sent, opened, completed, campaigns changing
        status — by POSTing signed events to your endpoints. Each event is retried for 24 hours until your
        endpoint answers 2xx; an endpoint that keeps failing is disabled and the account's owner is emailed.
      </p>
      {isAdmin() ? <AddEndpoint onAdded={load} /> : null}
      <section class="card" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Endpoints</h2>
        <ErrorMessage error={error} />
        {endpoints === null ? null : endpoints.length === 0 ? (
          <p>No endpoint yet.</p>
        ) : (
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Webhook endpoints">
            <table>
              <thead>
                <tr>
                  <th scope="col">URL</th>
                  <th scope="col">Events</th>
                  <th scope="col">State</th>
                  <th scope="col">Added</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">
                      <a href={href(`/settings/webhooks/${e.id}`)} class="wrap-anywhere">
                        {e.url}
                      </a>
                    </th>
                    <td>{eventsInWords(e.events)}</td>
                    <td>{stateInWords(e)}</td>
                    <td>{when(e.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-label="Verifying requests">
        <HowToVerify />
      </section>
    </section>
  );
}

function AddEndpoint({ onAdded }: { onAdded: () => Promise<void> }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventType[] | null>(null);
  const [created, setCreated] = useState<{ id: string; url: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const made = await call(
        api.POST('/v1/webhook-endpoints', {
          body: { url: url.trim(), ...(events === null ? {} : { events }) },
        }),
      );
      setCreated({ id: made.id, url: made.url, secret: made.secret });
      setUrl('');
      setEvents(null);
      await onAdded();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" aria-labelledby="add-endpoint-title" onSubmit={add}>
      <h2 id="add-endpoint-title">Add an endpoint</h2>
      <Field label="Endpoint URL" hint="https:// to a public address of yours">
        <input
          type="url"
          required
          placeholder="https://example.com/herald/webhooks"
          value={url}
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
      </Field>
      <EventChoice value={events} onChange={setEvents} />
      <ErrorMessage error={error} />
      <button type="submit" class="primary" disabled={busy}>
        Add endpoint
      </button>
      {created ? (
        <div class="notice" role="status" aria-label="Signing secret">
          <p>
            Endpoint added: <a href={href(`/settings/webhooks/${created.id}`)}>{created.url}</a>. Its signing
            secret — copy it now, it is not shown again: <code class="secret">{created.secret}</code>
          </p>
          <button
            type="button"
            onClick={() =>
              navigator.clipboard.writeText(created.secret).then(
                () => setNotice('Secret copied.'),
                () => setNotice('Could not copy: select the secret and copy it.'),
              )
            }
          >
            Copy secret
          </button>
          <Notice message={notice} />
          <HowToVerify open />
        </div>
      ) : null}
    </form>
  );
}

function deliveryState(d: Delivery, endpoint: Endpoint): string {
  if (d.state === 'delivered') return 'Delivered';
  if (d.state === 'failed') return 'Failed (given up)';
  if (endpoint.state === 'disabled') return 'Waiting: the endpoint is disabled';
  if (d.attempts === 0 || !d.nextAttemptAt) return 'Waiting to be sent';
  return `Failed, retrying at ${clock(d.nextAttemptAt)}`;
}

const answerInWords = (status: number | null, error: string | null) =>
  error ?? (status === null ? '—' : `HTTP ${status}`);
/** Attempts come seconds apart: their times carry seconds. */
const precise = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '—';
const ms = (n: number | null) => (n === null ? '—' : `${n.toLocaleString('en-US')} ms`);

const PAGE = 50;

/** One endpoint: its state and controls (admin), and its delivery log with each attempt. */
export function WebhookLog({ id }: { id: string }) {
  const [endpoint, setEndpoint] = useState<Endpoint | null>(null);
  const [log, setLog] = useState<{ data: Delivery[]; nextCursor: string | null } | null>(null);
  const [limit, setLimit] = useState(PAGE);
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState<EventType[] | null | undefined>(undefined);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [gone, setGone] = useState(false);
  const admin = isAdmin();

  const load = useCallback(async () => {
    try {
      const path = { params: { path: { id } } };
      const [e, l] = await Promise.all([
        call(api.GET('/v1/webhook-endpoints/{id}', path)),
        call(
          api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id }, query: { limit } } }),
        ),
      ]);
      setEndpoint(e);
      setLog(l);
    } catch (err) {
      setError((err as Error).message);
      setGone(true);
    }
  }, [id, limit]);
  useEffect(() => {
    void load();
  }, [load]);
  usePoll(load, !gone);

  const act = async (what: string, request: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await request();
      setNotice(done);
      await load();
    } catch (err) {
      setError(`${what}: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const patch = (body: components['schemas']['UpdateWebhookEndpoint']) => () =>
    call(api.PATCH('/v1/webhook-endpoints/{id}', { params: { path: { id } }, body }));

  const remove = async () => {
    setDeleting(false);
    setError(null);
    try {
      await call(api.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id } } }));
      navigate('/settings/webhooks');
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (!endpoint)
    return (
      <section>
        <p>
          <a href={href('/settings/webhooks')}>← Webhooks</a>
        </p>
        {error ? <ErrorMessage error={error} /> : <p class="loading">Loading…</p>}
      </section>
    );

  const e = endpoint;
  return (
    <section>
      <p>
        <a href={href('/settings/webhooks')}>← Webhooks</a>
      </p>
      <h1>Webhook endpoint</h1>
      <SettingsNav />
      <dl class="details">
        <div>
          <dt>URL</dt>
          <dd>
            <code class="wrap-anywhere">{e.url}</code>
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>{stateInWords(e)}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{eventsInWords(e.events)}</dd>
        </div>
        <div>
          <dt>Requests at once</dt>
          <dd>{atOnceInWords(e.concurrency)}</dd>
        </div>
        <div>
          <dt>Added</dt>
          <dd>{when(e.createdAt)}</dd>
        </div>
      </dl>
      <ErrorMessage error={error} />
      <Notice message={notice} />
      {admin ? (
        <div class="actions" role="group" aria-label="Endpoint actions">
          {e.state === 'enabled' ? (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                act(
                  'Disable',
                  patch({ state: 'disabled' }),
                  'Disabled: nothing is sent to it until you enable it.',
                )
              }
            >
              Disable
            </button>
          ) : (
            <button
              type="button"
              class="primary"
              disabled={busy}
              onClick={() =>
                act(
                  'Enable',
                  patch({ state: 'enabled' }),
                  'Enabled: waiting events go now. Deliveries that failed stay failed: Retry the ones you need.',
                )
              }
            >
              Enable
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => setEditing(e.events ? [...e.events] : null)}>
            Change event types
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => setDeleting(true)}>
            Delete
          </button>
        </div>
      ) : null}
      {admin ? (
        <AtOnce
          key={String(e.concurrency)}
          value={e.concurrency}
          busy={busy}
          onSave={(n) =>
            void act('Requests at once', patch({ concurrency: n }), `Saved: ${atOnceInWords(n)}.`)
          }
        />
      ) : null}
      {admin && editing !== undefined ? (
        <form
          class="card"
          aria-label="Change event types"
          onSubmit={(ev) => {
            ev.preventDefault();
            void act(
              'Change event types',
              patch({ events: editing }),
              'Saved: events from now on are chosen by these.',
            ).then(() => setEditing(undefined));
          }}
        >
          <EventChoice value={editing} onChange={setEditing} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              Save event types
            </button>
            <button type="button" onClick={() => setEditing(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title="Delete this endpoint?"
          confirmLabel="Delete endpoint"
          onConfirm={() => void remove()}
          onClose={() => setDeleting(false)}
        >
          <p>
            Nothing more is sent to {e.url}, and its delivery log goes with it. Its secret stops being used; a
            new endpoint gets a new one.
          </p>
        </ConfirmDialog>
      ) : null}

      <section class="card" aria-labelledby="log-title">
        <h2 id="log-title">Delivery log</h2>
        <p class="hint">Newest first. Each event keeps its webhook-id on every attempt.</p>
        {log === null ? null : log.data.length === 0 ? (
          <p>Nothing sent yet: events appear here as they happen.</p>
        ) : (
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Deliveries">
            <table>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">State</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last answer</th>
                  <th scope="col">Latency</th>
                  <th scope="col">Last attempt</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {log.data.map((d) => (
                  <DeliveryRow
                    key={d.id}
                    delivery={d}
                    state={deliveryState(d, e)}
                    open={open === d.id}
                    onToggle={() => setOpen(open === d.id ? null : d.id)}
                    onRetry={
                      admin && (d.state !== 'pending' || e.state === 'disabled')
                        ? () =>
                            act(
                              'Retry',
                              () =>
                                call(
                                  api.POST('/v1/webhook-deliveries/{id}/retry', {
                                    params: { path: { id: d.id } },
                                  }),
                                ),
                              `${d.eventType} queued to send again${e.state === 'disabled' ? ': the endpoint is enabled again' : ''}.`,
                            )
                        : undefined
                    }
                    busy={busy}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {log?.nextCursor && limit < 500 ? (
          <button type="button" onClick={() => setLimit(Math.min(500, limit + PAGE))}>
            Show older deliveries
          </button>
        ) : null}
      </section>
    </section>
  );
}

function DeliveryRow(props: {
  delivery: Delivery;
  state: string;
  open: boolean;
  onToggle: () => void;
  onRetry?: () => void;
  busy: boolean;
}) {
  const d = props.delivery;
  return (
    <>
      <tr>
        <th scope="row">
          <code>{d.eventType}</code>
          <br />
          <small class="hint">{d.eventId}</small>
        </th>
        <td>{props.state}</td>
        <td>{d.attempts}</td>
        <td>{answerInWords(d.lastStatus, d.lastError)}</td>
        <td>{ms(d.lastLatencyMs)}</td>
        <td>{precise(d.lastAttemptAt)}</td>
        <td>
          <div class="row-actions">
            {d.attempts > 0 ? (
              <button type="button" aria-expanded={props.open} onClick={props.onToggle}>
                {props.open ? 'Hide attempts' : 'Show attempts'}
              </button>
            ) : null}
            {props.onRetry ? (
              <button type="button" disabled={props.busy} onClick={props.onRetry}>
                Retry
              </button>
            ) : null}
          </div>
        </td>
      </tr>
      {props.open ? (
        <tr>
          <td colSpan={7}>
            <Attempts deliveryId={d.id} count={d.attempts} eventType={d.eventType} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** One delivery's attempts: when, the receiver's answer, how long it took, the retry it scheduled. */
function Attempts({
  deliveryId,
  count,
  eventType,
}: {
  deliveryId: string;
  count: number;
  eventType: string;
}) {
  const [attempts, setAttempts] = useState<Attempt[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call(
      api.GET('/v1/webhook-deliveries/{id}/attempts', {
        params: { path: { id: deliveryId }, query: { limit: 100 } },
      }),
    ).then(
      (page) => setAttempts(page.data),
      (err: Error) => setError(err.message),
    );
    // Read again when another attempt was made.
  }, [deliveryId, count]);
  if (error) return <ErrorMessage error={error} />;
  if (!attempts) return <p>Loading…</p>;
  return (
    <table aria-label={`Attempts of ${eventType}`}>
      <thead>
        <tr>
          <th scope="col">Sent</th>
          <th scope="col">Answer</th>
          <th scope="col">Latency</th>
          <th scope="col">Next attempt</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((a) => (
          <tr key={a.id}>
            <td>{precise(a.at)}</td>
            <td>{answerInWords(a.status, a.error)}</td>
            <td>{ms(a.latencyMs)}</td>
            <td>
              {a.nextAttemptAt ? precise(a.nextAttemptAt) : a.error ? 'None: given up' : 'None: delivered'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
