/** A sliding window: at most `max` emails in any `windowSeconds` (enforced by sending/limits.ts). */
export interface SendLimit {
  max: number;
  windowSeconds: number;
}
