import { z } from 'zod';

/**
 * The recipient pages' forms. A person's browser posts them, so a field that is missing or not
 * text is an empty answer, never an error: the page answers as it does for an empty form
 * (a wrong address, no order reference).
 */
const text = (max: number, trim: boolean) =>
  z
    .string()
    .transform((s) => (trim ? s.trim() : s).slice(0, max))
    .catch('');

/** The answer to a link's email question: at most an address's 320 characters are compared. */
export const EmailAnswerForm = z.object({ email: text(320, false) }).catch({ email: '' });

/** Completing from the page: an optional order reference, as the links API keeps it (100). */
export const CompleteForm = z.object({ order: text(100, true) }).catch({ order: '' });
