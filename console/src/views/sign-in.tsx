import { useState } from 'preact/hooks';
import { api, call, problemText } from '../api/client';
import { ErrorMessage } from '../ui/components';
import { session } from '../session';

export function SignIn({ reason }: { reason: string | null }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const trimmed = key.trim();
      // Asked with this key only: it is stored once the API has accepted it.
      const me = await call(api.GET('/v1/me', { headers: { Authorization: `Bearer ${trimmed}` } }));
      session.signIn(trimmed, me);
    } catch (err) {
      setError(problemText((err as { problem?: unknown }).problem ?? err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" id="main">
      <h1>Herald console</h1>
      <form onSubmit={submit} class="card">
        <h2>Sign in</h2>
        {reason ? <p class="notice">{reason}</p> : null}
        <label class="field">
          <span class="label">API key</span>
          <input
            type="password"
            name="apiKey"
            autocomplete="off"
            spellcheck={false}
            required
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
          <span class="hint">
            `npm run dev` prints an admin key. The key is kept for this browser tab only and is forgotten when
            you close it.
          </span>
        </label>
        <ErrorMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
