import { useEffect, useState } from 'preact/hooks';
import { api, call, type components } from '../api/client';
import { ErrorMessage, Field, Notice } from '../ui/components';

type Preview = components['schemas']['EmailPreview'];
type TestSendResult = components['schemas']['TestSendResult'];

/** Up to five addresses, separated by commas, semicolons, spaces or lines. */
export const MAX_TEST_ADDRESSES = 5;
const addressesIn = (text: string) => text.split(/[\s,;]+/).filter((a) => a !== '');

/**
 * The invitation as a sample recipient gets it, from the API's own renderer. The HTML is shown
 * in a sandboxed frame (no script, no same origin, nothing it links opens from here); the
 * console's CSP, which the frame inherits, allows the email's own inline styles by hash.
 */
export function EmailPreviewPanel({ campaignId, onClose }: { campaignId: string; onClose: () => void }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asText, setAsText] = useState(false);

  useEffect(() => {
    call(api.GET('/v1/campaigns/{id}/preview', { params: { path: { id: campaignId }, query: {} } }))
      .then(setPreview)
      .catch((err: Error) => setError(err.message));
  }, [campaignId]);

  return (
    <section class="panel email-preview" aria-labelledby="preview-title">
      <div class="title-row">
        <h2 id="preview-title">Preview</h2>
        <button type="button" onClick={onClose}>
          Close preview
        </button>
      </div>
      <ErrorMessage error={error} />
      {preview ? (
        <>
          <dl class="details">
            <div>
              <dt>From</dt>
              <dd>{preview.from}</dd>
            </div>
            <div>
              <dt>To</dt>
              <dd>{preview.to} (a sample recipient: each gets their own link)</dd>
            </div>
            <div>
              <dt>Subject</dt>
              <dd data-testid="preview-subject">{preview.subject}</dd>
            </div>
          </dl>
          <div class="tabs" role="group" aria-label="Preview format">
            <button type="button" aria-pressed={!asText} onClick={() => setAsText(false)}>
              HTML
            </button>
            <button type="button" aria-pressed={asText} onClick={() => setAsText(true)}>
              Text
            </button>
          </div>
          {asText ? (
            <pre class="email-text">{preview.text}</pre>
          ) : (
            <iframe class="email-frame" title="Email preview" sandbox="" srcdoc={preview.html} />
          )}
          <p class="hint">
            Its links open a page that says this is a preview; the real email carries each recipient’s own
            link and one-click unsubscribe.
          </p>
        </>
      ) : error ? null : (
        <p>Loading…</p>
      )}
    </section>
  );
}

/** "Send a test": the real email, subject after "[Test] ", to up to five addresses. */
export function TestSendPanel({ campaignId, onClose }: { campaignId: string; onClose: () => void }) {
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<TestSendResult | null>(null);

  // The owner's own address is the usual first one.
  useEffect(() => {
    call(api.GET('/v1/account'))
      .then((a) => setTo((current) => current || a.ownerEmail))
      .catch(() => undefined);
  }, []);

  const addresses = addressesIn(to);
  const tooMany = addresses.length > MAX_TEST_ADDRESSES;
  const send = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(
        await call(
          api.POST('/v1/campaigns/{id}/test-send', {
            params: { path: { id: campaignId } },
            body: { to: addresses },
          }),
        ),
      );
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const sent = result?.results.filter((r) => r.sent) ?? [];
  const notSent = result?.results.filter((r) => !r.sent) ?? [];

  return (
    <section class="panel" aria-labelledby="test-send-title">
      <div class="title-row">
        <h2 id="test-send-title">Send a test</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <form onSubmit={send}>
        <Field
          label="Send to"
          hint={`Up to ${MAX_TEST_ADDRESSES} addresses, separated by commas. The subject starts with "[Test]"; its links open a test page. It counts against your sending limits, and uses no invite or money.`}
        >
          <input
            type="text"
            value={to}
            aria-invalid={tooMany}
            onInput={(e) => setTo(e.currentTarget.value)}
            autocomplete="email"
          />
        </Field>
        {tooMany ? <p class="error-text">At most {MAX_TEST_ADDRESSES} addresses.</p> : null}
        <button type="submit" class="primary" disabled={busy || tooMany || addresses.length === 0}>
          Send test email
        </button>
      </form>
      <ErrorMessage error={error} />
      <Notice message={sent.length ? `Test email sent to ${sent.map((r) => r.email).join(', ')}.` : null} />
      {notSent.length ? (
        <ul class="error" role="alert">
          {notSent.map((r) => (
            <li key={r.email}>
              Not sent to {r.email}: {r.error}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
