import { useState } from 'preact/hooks';
import { api, call, type components } from '../api/client';
import { SUPPRESSION_REASON, plural, when } from '../format';
import { href } from '../router';
import { ConfirmDialog, ErrorMessage, Field, Notice } from '../ui/components';
import { SettingsNav } from './settings-nav';

type Lookup = components['schemas']['RecipientLookup'];
type Report = components['schemas']['ErasureReport'];

/**
 * Privacy (admins): what Herald keeps and why, and a person's right to erasure: find where their
 * address stands in the account, then erase them everywhere (POST /v1/recipients/erase).
 */
export function Privacy() {
  const [email, setEmail] = useState('');
  const [found, setFound] = useState<Lookup | null>(null);
  const [erased, setErased] = useState<Report | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const find = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setErased(null);
    try {
      setFound(await call(api.GET('/v1/recipients', { params: { query: { email } } })));
    } catch (err) {
      setFound(null);
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const erase = async (lookup: Lookup) => {
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      setErased(await call(api.POST('/v1/recipients/erase', { body: { email: lookup.email } })));
      setFound(null);
      setEmail('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const nowhere = found && !found.contacts.length && !found.campaigns.length && !found.suppression;

  return (
    <section>
      <h1>Privacy</h1>
      <SettingsNav />
      <WhatHeraldKeeps />
      <form onSubmit={find} class="card">
        <h2>Find a recipient</h2>
        <p class="hint">The exact address, in this account only: where it appears before you erase it.</p>
        <div class="inline-form">
          <Field label="Recipient's email">
            <input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </Field>
          <button type="submit" disabled={busy}>
            Find
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      <Notice
        message={
          erased
            ? `Erased: ${plural(erased.erased.contacts, 'contact')}, ${plural(erased.erased.invites, 'invite')} voided, ${plural(erased.erased.notifications, 'email record')} cleared. The audit log keeps only the reference ${erased.reference}.`
            : null
        }
      />
      {found ? (
        <section class="card" aria-labelledby="found-title">
          <h2 id="found-title">{found.email}</h2>
          {nowhere ? (
            <p>This address is nowhere in your account.</p>
          ) : (
            <ul>
              <li>
                {found.contacts.length
                  ? `Saved contact${found.contacts[0].name ? `: ${found.contacts[0].name}` : ''}, since ${when(found.contacts[0].createdAt)}`
                  : 'Not a saved contact'}
              </li>
              {found.campaigns.map((c) => (
                <li key={c.campaignId}>
                  {plural(c.invites, 'invite')} in{' '}
                  <a href={href(`/campaigns/${c.campaignId}`)}>{c.campaignName}</a>
                </li>
              ))}
              <li>
                {found.suppression
                  ? `Not emailed: ${SUPPRESSION_REASON[found.suppression.reason]}, since ${when(found.suppression.createdAt)}`
                  : 'Not suppressed'}
              </li>
            </ul>
          )}
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirming(true)}>
            Erase this person
          </button>
        </section>
      ) : null}
      {confirming && found ? (
        <ConfirmDialog
          title={`Erase ${found.email}?`}
          confirmLabel="Erase"
          onConfirm={() => erase(found)}
          onClose={() => setConfirming(false)}
        >
          <p>Erasure removes this person from your whole account, at once and for good:</p>
          <ul>
            <li>
              their name and address leave your contacts, every participant list, sent-email records and
              exports;
            </li>
            <li>their invites are voided: their links stop working and nothing more is sent to them;</li>
            <li>
              the audit log and the suppression list keep only a reference that cannot be turned back into the
              address, so an unsubscribe or a bounce still stops emails to them.
            </li>
          </ul>
          <p>Invitations already sent stay charged. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** The short statement: from the seeds' privacy line and docs/api.md#erasure. */
function WhatHeraldKeeps() {
  return (
    <section class="card" aria-labelledby="keeps-title">
      <h2 id="keeps-title">What Herald keeps and why</h2>
      <ul>
        <li>
          Recipient names, addresses, phone numbers and time zones: to send each person their invitation at
          the right hour and tie their link to them. They are not used for behavioral profiling.
        </li>
        <li>
          What happened to each invite (sent, opened, used, its order reference) and each email&apos;s
          delivery outcome: for your campaign&apos;s progress, billing and the participant list.
        </li>
        <li>
          Unsubscribes, hard bounces and spam complaints: so the account never emails that address again.
        </li>
        <li>An audit log of every change, with who made it: so you can see what happened and why.</li>
      </ul>
      <p>
        All of it stays until you erase the person. Erasing keeps only what must outlive them, under a
        reference instead of the address: the invite&apos;s place in counts and charges, the suppression, and
        the audit entry saying they were erased.
      </p>
    </section>
  );
}
