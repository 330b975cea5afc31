import { ValidationError } from '../errors';

/** Cursors are opaque to callers; inside, the last id of the page (ids are time-ordered). */
export const encodeCursor = (id: string): string => Buffer.from(id).toString('base64url');

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString();
  if (!/^[0-9a-f-]{36}$/.test(id))
    throw new ValidationError([{ field: 'cursor', message: 'not a cursor this API returned' }]);
  return id;
}
