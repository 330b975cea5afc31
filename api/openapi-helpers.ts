import type { z } from 'zod';
import { Problem } from './schemas';

/** Shorthands for describing routes in the OpenAPI registry, shared by every route file. */
export const security = [{ bearerAuth: [] }];
export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});
export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { content: { 'application/json': { schema } } },
});
