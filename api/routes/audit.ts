import { json, problem } from '../openapi-helpers';
import { Routes } from '../route';
import { AccountAuditEntry, AccountAuditQuery, page } from '../schemas';
import type { AuditService } from '../usecases/audit';

const routes = new Routes<{ audit: AuditService }>('/v1');

routes.add({
  method: 'get',
  path: '/v1/audit',
  operationId: 'listAccountAudit',
  summary: "The account's audit log: every campaign's entries and the account's own, newest first",
  description:
    "Account entries have `campaignId: null`: sending policy and account settings changed, the sender set, API keys created and revoked, webhook endpoints added, enabled again and deleted, erasures, suppressions lifted. Filters combine; another account's entries are never shown (its campaign id finds nothing).",
  access: 'any',
  query: AccountAuditQuery,
  responses: {
    200: json(page(AccountAuditEntry), 'Newest first'),
    400: problem('validation_failed: a bad filter, limit or cursor'),
  },
  handler: ({ caller, query }, { audit }) => audit.listAccount(caller, query),
});

export const auditRoutes = (deps: { audit: AuditService }) => routes.router(deps);
