import { useState } from 'preact/hooks';
import { api, call, type components } from '../api/client';
import { ErrorMessage, Field, Notice } from '../ui/components';

type Guards = components['schemas']['DeliverabilityGuards'];
type Policy = components['schemas']['SendingPolicy'];

/** A share (0.001) as the percentage people type (0.1), without float noise, and back. */
const toPercent = (share: number) => String(Number((share * 100).toPrecision(12)));
const toShare = (percent: string) => Number((Number(percent) / 100).toPrecision(12));

const formOf = (g: Guards): Record<keyof Guards, string> => ({
  complaintRate: toPercent(g.complaintRate),
  complaintMinDelivered: String(g.complaintMinDelivered),
  bounceRate: toPercent(g.bounceRate),
  bounceMinSent: String(g.bounceMinSent),
});

/**
 * The sending policy's complaint and bounce guards: when a campaign's spam complaints or hard
 * bounces pass them, it pauses itself and the owner is emailed. Saving keeps the policy's
 * limits and window as they are (read again just before).
 */
export function DeliverabilityGuards(props: { guards: Guards; onSaved: (policy: Policy) => void }) {
  const [form, setForm] = useState<Record<keyof Guards, string> | null>(() => formOf(props.guards));
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const show = (g: Guards) => setForm(formOf(g));

  const save = async (e: Event) => {
    e.preventDefault();
    if (!form) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const { limits, window } = await call(api.GET('/v1/account/sending-policy'));
      const saved = await call(
        api.PUT('/v1/account/sending-policy', {
          body: {
            limits,
            window,
            guards: {
              complaintRate: toShare(form.complaintRate),
              complaintMinDelivered: Number(form.complaintMinDelivered),
              bounceRate: toShare(form.bounceRate),
              bounceMinSent: Number(form.bounceMinSent),
            },
          },
        }),
      );
      show(saved.guards);
      props.onSaved(saved);
      setNotice('Saved: campaigns are held to these from their next complaint or bounce.');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const input = (field: keyof Guards, props: { step: string; min: string; max?: string }) =>
    form ? (
      <input
        type="number"
        required
        {...props}
        value={form[field]}
        onInput={(e) => setForm({ ...form, [field]: e.currentTarget.value })}
      />
    ) : null;

  return (
    <section class="card" aria-labelledby="guards-title">
      <h2 id="guards-title">Complaint and bounce guards</h2>
      <p class="hint">
        A campaign pauses itself, and you are emailed, when too many recipients mark it as spam or too many
        addresses bounce: mailbox providers stop trusting a sender above 0.3% complaints. Fix the list, then
        Resume.
      </p>
      <ErrorMessage error={error} />
      {form ? (
        <form onSubmit={save}>
          <Field
            label="Pause when spam complaints are more than (%)"
            hint="Of the emails delivered. 0.1 is the default."
          >
            {input('complaintRate', { step: 'any', min: '0.0001', max: '100' })}
          </Field>
          <Field
            label="…once at least this many were delivered"
            hint="1,000 by default: one complaint in ten is noise."
          >
            {input('complaintMinDelivered', { step: '1', min: '1' })}
          </Field>
          <Field
            label="Pause when hard bounces are more than (%)"
            hint="Of the emails sent. 5 is the default."
          >
            {input('bounceRate', { step: 'any', min: '0.0001', max: '100' })}
          </Field>
          <Field label="…once at least this many were sent" hint="100 by default.">
            {input('bounceMinSent', { step: '1', min: '1' })}
          </Field>
          <Notice message={notice} />
          <button type="submit" class="primary" disabled={busy}>
            Save guards
          </button>
        </form>
      ) : null}
    </section>
  );
}
