import { signal } from './signal';

export const BASE = '/console';

/** The path inside the console (`/campaigns/…`), from the address bar. */
const current = () => window.location.pathname.replace(/^\/console/, '') || '/';
export const route = signal(current());

export function navigate(path: string) {
  if (path === route.get()) return;
  window.history.pushState(null, '', BASE + path);
  route.set(path);
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => route.set(current()));

/** Plain left clicks on console links change screens without a page load. */
export function linkClick(e: MouseEvent) {
  const a = (e.target as Element | null)?.closest('a');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = a.getAttribute('href');
  if (!href?.startsWith(BASE + '/') && href !== BASE) return;
  if (a.target || a.hasAttribute('download')) return;
  e.preventDefault();
  navigate(href.slice(BASE.length) || '/');
}

export const href = (path: string) => BASE + path;
