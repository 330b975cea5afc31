import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registry } from './schemas';

/** Generated from the same schemas that validate requests, so it cannot drift from them. */
export function openApiDocument(serverUrl: string) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Herald API',
      version: '1.0.0',
      description:
        'Campaigns of private invitation links, sent on a schedule and in batches. Errors are RFC 9457 problem+json with a stable `code`.',
    },
    servers: [{ url: serverUrl }],
  });
}
