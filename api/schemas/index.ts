/**
 * The API's schemas, one file per resource. One schema per shape: it validates the request,
 * types the handler (z.infer) and generates /openapi.json. Re-exported here in the order they
 * are registered, which is the order of the document's components.
 */
export * from './common';
export * from './sending-policy';
export * from './invite-expiry';
export * from './campaigns';
export * from './account';
export * from './invites';
export * from './links';
export * from './api-keys';
export * from './erasure';
export * from './webhooks';
export * from './suppressions';
export * from './recipients';
export * from './analytics';
