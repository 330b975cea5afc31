import { useEffect, useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ErrorMessage, Field, Notice } from '../ui/components';
import { ApiKeys } from './api-keys';
import { SettingsNav } from './settings-nav';
import { Suppressions } from './suppressions';

/**
 * The account's email sender. When the email service refuses the token, campaigns pause
 * (`email_token_invalid`): renew it here, then Resume them.
 */
export function Settings() {
  const [token, setToken] = useState('');
  const [fromEmail, setFromEmail] = useState('');
  const [stream, setStream] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The token alert links to #email-sender: the page renders after the browser looked for the
  // fragment, so go to the form here, ready for the new token.
  useEffect(() => {
    if (window.location.hash === '#email-sender')
      document.querySelector<HTMLInputElement>('#email-sender input')?.focus();
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const saved = await call(
        api.PUT('/v1/account/email-provider', {
          body: {
            postmarkServerToken: token,
            fromEmail,
            ...(stream.trim() ? { messageStream: stream.trim() } : {}),
          },
        }),
      );
      setToken('');
      setNotice(
        `Saved: mail goes out from ${saved.fromEmail}${saved.tokenHint ? ` (token ${saved.tokenHint})` : ''}, campaigns on the ${saved.messageStream} stream. Resume any campaign that paused for its token.`,
      );
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>Settings</h1>
      <SettingsNav />
      <form onSubmit={save} class="card" id="email-sender" aria-labelledby="email-sender-title">
        <h2 id="email-sender-title">Email sender</h2>
        <p class="hint">
          Your Postmark server token (stored encrypted, never shown again) and the address invitations come
          from.
        </p>
        <Field label="Postmark server token">
          <input
            type="password"
            autocomplete="off"
            required
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </Field>
        <Field label="From address">
          <input
            type="email"
            required
            value={fromEmail}
            onInput={(e) => setFromEmail(e.currentTarget.value)}
          />
        </Field>
        <Field
          label="Broadcast stream"
          hint="The Postmark message stream campaign email goes on. Leave empty for broadcast."
        >
          <input value={stream} placeholder="broadcast" onInput={(e) => setStream(e.currentTarget.value)} />
        </Field>
        <ErrorMessage error={error} />
        <Notice message={notice} />
        <button type="submit" class="primary" disabled={busy}>
          Save sender
        </button>
      </form>
      <Suppressions />
      <ApiKeys />
    </section>
  );
}
