import type { ValueTransformer } from 'typeorm';

/** mysql2 returns BIGINT as a string; money in cents fits a JS number exactly up to 2^53. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};

/** Instants are stored as DATETIME(3) in UTC on both dialects. */
export const instant = { type: 'datetime', precision: 3 } as const;

/** A small JSON document in a TEXT column (the same on both dialects); null stays null. */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === null || value === undefined ? value : JSON.stringify(value)),
  from: (value: string | null) => (value === null || value === undefined ? value : JSON.parse(value)),
};
