import type { Campaign } from '../api/client';

/** sent / failed / used / expired of the total, in words and as a bar (the words carry it). */
export function Progress({ progress: p, compact }: { progress: Campaign['progress']; compact?: boolean }) {
  const total = Math.max(p.total, 0);
  const done = p.sent + p.failed;
  const text = `${p.sent} sent, ${p.failed} failed, ${p.used} used, ${p.expired} expired of ${total}`;
  return (
    <div class={compact ? 'progress compact' : 'progress'}>
      <progress max={total || 1} value={Math.min(done, total)} aria-label={`Sent ${done} of ${total}`} />
      <span class="progress-text">{text}</span>
    </div>
  );
}
