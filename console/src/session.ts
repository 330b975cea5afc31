import { signal } from './signal';

/**
 * The API key lives in sessionStorage only: gone when the browser (tab) closes, never in
 * localStorage, a cookie or a URL.
 */
const STORAGE = 'herald.apiKey';

export interface Who {
  accountId: string;
  keyId: string;
  role: 'admin' | 'support';
}

export const who = signal<Who | null>(null);
export const signOutReason = signal<string | null>(null);

export const session = {
  key: (): string | null => sessionStorage.getItem(STORAGE),
  signIn(key: string, caller: Who) {
    sessionStorage.setItem(STORAGE, key);
    signOutReason.set(null);
    who.set(caller);
  },
  signOut(reason: string | null = null) {
    sessionStorage.removeItem(STORAGE);
    signOutReason.set(reason);
    who.set(null);
  },
};

export const isAdmin = () => who.get()?.role === 'admin';
