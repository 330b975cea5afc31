import { useEffect, useState } from 'preact/hooks';
import { api, call, type components } from '../api/client';
import { money } from '../format';
import { href } from '../router';
import { isAdmin } from '../session';
import { ErrorMessage, Field, Notice } from '../ui/components';

type Account = components['schemas']['Account'];
type Usage = components['schemas']['Usage'];

export function Billing() {
  const [account, setAccount] = useState<Account | null>(null);
  const [usage, setUsage] = useState<Usage | null>(null);
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      const [a, u] = await Promise.all([call(api.GET('/v1/account')), call(api.GET('/v1/account/usage'))]);
      setAccount(a);
      setUsage(u);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const addFunds = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const amountCents = Math.round(Number(amount) * 100);
      // One key per click: a retried request never deposits twice.
      const a = await call(
        api.POST('/v1/account/funds', {
          body: { amountCents },
          params: { header: { 'idempotency-key': crypto.randomUUID() } },
        }),
      );
      setAccount(a);
      setAmount('');
      setNotice(`Added ${money(amountCents)}. Available now: ${money(a.availableCents)}.`);
      void load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>Billing</h1>
      <ErrorMessage error={error} />
      <Notice message={notice} />
      {account ? (
        <dl class="details money">
          <div>
            <dt>Balance</dt>
            <dd>{money(account.balanceCents)}</dd>
          </div>
          <div>
            <dt>Reserved</dt>
            <dd>{money(account.reservedCents)}</dd>
          </div>
          <div>
            <dt>Available</dt>
            <dd>{money(account.availableCents)}</dd>
          </div>
        </dl>
      ) : (
        <p>Loading…</p>
      )}
      {isAdmin() ? (
        <form onSubmit={addFunds} class="card inline-form">
          <Field label="Amount (USD)">
            <input
              type="number"
              min="0.01"
              step="0.01"
              required
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            Add funds
          </button>
        </form>
      ) : null}
      <h2>Usage</h2>
      {usage === null ? null : usage.data.length === 0 ? (
        <p>No campaign has reserved funds yet.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Usage per campaign">
          <table>
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Reserved</th>
                <th scope="col">Charged</th>
                <th scope="col">Released</th>
                <th scope="col">Held</th>
              </tr>
            </thead>
            <tbody>
              {usage.data.map((u) => (
                <tr key={u.campaignId}>
                  <th scope="row">
                    <a href={href(`/campaigns/${u.campaignId}`)}>{u.campaignName}</a>
                  </th>
                  <td>{money(u.reservedCents)}</td>
                  <td>{money(u.chargedCents)}</td>
                  <td>{money(u.releasedCents)}</td>
                  <td>{money(u.heldCents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total (funded {money(usage.totals.fundedCents)})</th>
                <td>{money(usage.totals.reservedCents)}</td>
                <td>{money(usage.totals.chargedCents)}</td>
                <td>{money(usage.totals.releasedCents)}</td>
                <td>—</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
