import { href, route } from '../router';
import { isAdmin } from '../session';
import { useSignal } from '../signal';

/** The Settings pages, in the order the sub-nav shows them; `admin`: only an admin key may open it. */
const PAGES = [
  { path: '/settings', label: 'Email & keys', admin: true },
  { path: '/settings/sending', label: 'Sending limits and hours', admin: false },
  { path: '/settings/webhooks', label: 'Webhooks', admin: false },
  { path: '/settings/privacy', label: 'Privacy', admin: true },
] as const;

/**
 * The Settings sub-nav, shared by every Settings page. A page deeper than these (one
 * webhook's log) marks the one it belongs to. A support key sees only the pages it may open.
 */
export function SettingsNav() {
  const path = useSignal(route);
  const admin = isAdmin();
  const current = PAGES.filter((p) => path === p.path || path.startsWith(p.path + '/')).pop()?.path;
  return (
    <nav aria-label="Settings" class="subnav">
      {PAGES.filter((p) => admin || !p.admin).map((p) => (
        <a key={p.path} href={href(p.path)} aria-current={p.path === current ? 'page' : undefined}>
          {p.label}
        </a>
      ))}
    </nav>
  );
}
