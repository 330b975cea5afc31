import { useEffect, useRef, useState } from 'preact/hooks';
import { api, call } from './api/client';
import { href, linkClick, navigate, route } from './router';
import { isAdmin, session, signOutReason, who } from './session';
import { useSignal } from './signal';
import { SignIn } from './views/sign-in';
import { CampaignList } from './views/campaign-list';
import { CampaignPage } from './views/campaign-page';
import { CampaignForm } from './views/campaign-form';
import { AuditLog } from './views/audit-log';
import { Billing } from './views/billing';
import { Settings } from './views/settings';
import { SendingSettings } from './views/sending-settings';
import { Webhooks, WebhookLog } from './views/webhooks';
import { Contacts } from './views/contacts';
import { Privacy } from './views/privacy';
import { AccountAudit } from './views/account-audit';
import { AccountAnalyticsView, CampaignAnalyticsView } from './views/analytics';

export function App() {
  const caller = useSignal(who);
  const path = useSignal(route);
  const [restoring, setRestoring] = useState(() => session.key() !== null && who.get() === null);

  // A reload keeps the tab's session: ask the API again who the key is.
  useEffect(() => {
    if (!restoring) return;
    call(api.GET('/v1/me'))
      .then((me) => {
        const key = session.key();
        if (key) session.signIn(key, me);
      })
      .catch(() => session.signOut('Your session ended: sign in again.'))
      .finally(() => setRestoring(false));
  }, [restoring]);

  // A new screen is announced like a page load: focus moves to its content.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path !== firstPath.current) document.getElementById('main')?.focus();
  }, [path]);

  if (restoring) return <p class="loading">Loading…</p>;
  if (!caller) return <SignIn reason={signOutReason.get()} />;
  return (
    <div class="shell" onClick={linkClick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href('/')}>
          Herald
        </a>
        <nav aria-label="Main">
          <a href={href('/')} aria-current={path === '/' ? 'page' : undefined}>
            Campaigns
          </a>
          <a href={href('/contacts')} aria-current={path === '/contacts' ? 'page' : undefined}>
            Contacts
          </a>
          <a href={href('/audit')} aria-current={screenOf(path) === '/audit' ? 'page' : undefined}>
            Audit log
          </a>
          <a href={href('/billing')} aria-current={path === '/billing' ? 'page' : undefined}>
            Billing
          </a>
          {/* Support reads the sending policy and webhooks; Email & keys is an admin's. */}
          <a
            href={href(caller.role === 'admin' ? '/settings' : '/settings/sending')}
            aria-current={path.startsWith('/settings') ? 'page' : undefined}
          >
            Settings
          </a>
        </nav>
        <span class="who">
          Signed in as <strong>{caller.role}</strong>
        </span>
        <button
          type="button"
          onClick={() => {
            navigate('/');
            session.signOut();
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Screen path={path} />
      </main>
    </div>
  );
}

/** The screen a path names, without its query (`/audit?kind=…` is the audit log, filtered). */
const screenOf = (path: string) => path.split('?')[0];

function Screen({ path: full }: { path: string }) {
  const path = screenOf(full);
  let m: RegExpExecArray | null;
  if (path === '/' || path === '/campaigns') return <CampaignList />;
  if (path === '/campaigns/new') return isAdmin() ? <CampaignForm /> : <NotAllowed />;
  if ((m = /^\/campaigns\/([^/]+)\/edit$/.exec(path)))
    return isAdmin() ? <CampaignForm id={m[1]} key={m[1]} /> : <NotAllowed />;
  if ((m = /^\/campaigns\/([^/]+)\/audit$/.exec(path))) return <AuditLog id={m[1]} key={m[1]} />;
  if ((m = /^\/campaigns\/([^/]+)\/analytics$/.exec(path)))
    return <CampaignAnalyticsView id={m[1]} key={m[1]} />;
  if (path === '/analytics') return <AccountAnalyticsView />;
  if ((m = /^\/campaigns\/([^/]+)$/.exec(path))) return <CampaignPage id={m[1]} key={m[1]} />;
  if (path === '/billing') return <Billing />;
  if (path === '/settings') return isAdmin() ? <Settings /> : <NotAllowed />;
  // Support may look at these two (the API lets it read them); changing them is an admin's.
  if (path === '/settings/sending') return <SendingSettings />;
  if (path === '/settings/webhooks') return <Webhooks />;
  if ((m = /^\/settings\/webhooks\/([^/]+)$/.exec(path))) return <WebhookLog id={m[1]} key={m[1]} />;
  if (path === '/settings/privacy') return isAdmin() ? <Privacy /> : <NotAllowed />;
  if (path === '/contacts') return <Contacts />;
  // Keyed by the query: following a filtered link starts the log over with its filters.
  if (path === '/audit') return <AccountAudit key={full} />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        <a href={href('/')}>Back to the campaign list</a>
      </p>
    </section>
  );
}

function NotAllowed() {
  return (
    <section>
      <h1>Not available with this key</h1>
      <p>This needs an admin API key.</p>
    </section>
  );
}
