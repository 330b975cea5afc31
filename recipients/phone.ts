import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** E.164 is at most 15 digits and a `+`; what a recipient may type around them is bounded too. */
export const MAX_PHONE_INPUT = 40;

export type CheckedPhone = { ok: true; phone: string } | { ok: false; reason: string };

/**
 * A recipient's phone number, as given (spaces, dashes, brackets allowed), in international
 * form (`+` and the country code: no default country is assumed), checked against the
 * numbering plan by libphonenumber-js and stored in E.164 (`+442079460958`).
 */
export function checkPhone(raw: string): CheckedPhone {
  const text = raw.trim();
  if (text.length > MAX_PHONE_INPUT) return { ok: false, reason: 'phone too long' };
  if (!text.startsWith('+'))
    return { ok: false, reason: 'phone must be international: + and the country code' };
  const parsed = parsePhoneNumberFromString(text);
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'not a valid phone number' };
  return { ok: true, phone: parsed.number };
}
