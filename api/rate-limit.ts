import type { Request } from 'express';

/**
 * In-process token buckets keyed by client. Each API instance limits on its own, which is
 * enough to make enumerating 192-bit tokens hopeless; a shared store would only tighten it.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    /** Requests a client may burst. */
    private readonly capacity: number,
    /** Tokens regained per second. */
    private readonly refillPerSecond: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token; false when the client is out. */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(
      this.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * this.refillPerSecond,
    );
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.delete(key); // re-insert: Map order is then least-recently-used first
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return allowed;
  }

  /** Whether the client has a token left, without taking it. */
  allows(key: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(key);
    return !bucket || bucket.tokens + ((now - bucket.at) / 1000) * this.refillPerSecond >= 1;
  }

  /** Seconds until the client has a token again. */
  retryAfter(key: string): number {
    const bucket = this.buckets.get(key);
    return bucket ? Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerSecond)) : 1;
  }
}

export const clientKey = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
