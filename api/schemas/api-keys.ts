import { z } from 'zod';
import { API_KEY_ROLES } from '../../entities/ApiKey';
import { isoInstant, page, registry } from './common';

// ---- API keys and erasure ------------------------------------------------------------

export const CreateApiKey = registry.register(
  'CreateApiKey',
  z
    .object({
      role: z.enum(API_KEY_ROLES),
      name: z.string().trim().min(1).max(100).optional().openapi({ description: 'A label, e.g. "CI"' }),
    })
    .strict(),
);
export type CreateApiKey = z.infer<typeof CreateApiKey>;
export const CreatedApiKey = registry.register(
  'CreatedApiKey',
  z.object({
    id: z.string(),
    role: z.enum(API_KEY_ROLES),
    name: z.string().nullable(),
    key: z.string().openapi({
      description:
        'Shown once: only its hash is stored. A replay of the request (same Idempotency-Key) is a 409 naming the key id, never the key again',
    }),
  }),
);
export const ApiKeyView = registry.register(
  'ApiKey',
  z.object({
    id: z.string(),
    role: z.enum(API_KEY_ROLES),
    name: z.string().nullable(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart' }),
    createdAt: isoInstant,
    lastUsedAt: isoInstant.nullable().openapi({ description: 'Updated at most about once a minute' }),
    revokedAt: isoInstant.nullable(),
  }),
);
export type ApiKeyView = z.infer<typeof ApiKeyView>;
export const ApiKeyList = registry.register('ApiKeyList', page(ApiKeyView));
