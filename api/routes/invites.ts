import type { Response } from 'express';
import { z } from 'zod';
import { ValidationError } from '../errors';
import {
  BulkInvites,
  ContactView,
  CreateContact,
  CreatedInvites,
  CreateInvite,
  ExportInvites,
  ExportQuery,
  FromContacts,
  IdParams,
  ImportReport,
  InviteErasedProblem,
  InviteResetProblem,
  InviteView,
  ListInvitesQuery,
  MAX_EXPORT_IDS,
  UpdateInvite,
  MAX_EXPORT_IDS_IN_QUERY,
  Pagination,
  page,
} from '../schemas';
import { type ContactService, MAX_CONTACT_IMPORT_BYTES, MAX_CONTACT_IMPORT_ROWS } from '../usecases/contacts';
import type { InviteService } from '../usecases/invites';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../usecases/invite-import';
import { forbidden, json, problem } from '../openapi-helpers';
import { Routes } from '../route';

type Deps = { invites: InviteService; contacts: ContactService };

const exported = {
  description: "CSV with full URLs; cells a spreadsheet would run as formulas are prefixed with `'`",
  content: { 'text/csv': { schema: z.string() } },
};
const adding = {
  400: problem('validation_failed'),
  402: problem('insufficient_balance (launched campaign)'),
  404: problem('not_found'),
  409: problem('invalid_state'),
  ...forbidden,
};

const routes = new Routes<Deps>('/v1');

routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/invites',
  operationId: 'createInvite',
  summary: 'Add one invite',
  access: 'admin',
  params: IdParams,
  body: CreateInvite,
  responses: { 201: json(InviteView, 'The invite'), ...adding },
  handler: ({ caller, params, body }, { invites }) => invites.addOne(caller, params.id, body),
});
routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/invites/bulk',
  operationId: 'createInvitesInBulk',
  summary: 'Add `count` link-only invites or a list of recipients',
  access: 'admin',
  params: IdParams,
  body: BulkInvites,
  responses: { 201: json(CreatedInvites, 'How many'), ...adding },
  handler: ({ caller, params, body }, { invites }) => invites.addBulk(caller, params.id, body),
});
routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/invites/import',
  operationId: 'importInvitesCsv',
  summary: `Import recipients from CSV (header \`email,name\`; optional \`timezone\` and \`phone\`, international, stored in E.164), streamed; bad rows are reported, not imported. At most ${MAX_IMPORT_ROWS} rows and ${MAX_IMPORT_BYTES} bytes; a refused import adds nothing`,
  access: 'admin',
  params: IdParams,
  rawBody: { contentType: 'text/csv', schema: z.string() },
  responses: {
    200: json(ImportReport, 'What was imported and every rejected row'),
    ...adding,
    413: problem(
      `payload_too_large: over ${MAX_IMPORT_BYTES} bytes or ${MAX_IMPORT_ROWS} rows; nothing imported`,
    ),
  },
  handler: ({ caller, params }, { invites }, req) => {
    if (!req.is('text/csv'))
      throw new ValidationError([{ field: 'Content-Type', message: 'send the file as text/csv' }]);
    const declared = req.headers['content-length'];
    return invites.importCsv(caller, params.id, req, declared === undefined ? undefined : Number(declared));
  },
});
routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/invites/from-contacts',
  operationId: 'createInvitesFromContacts',
  summary: 'Invite saved contacts',
  access: 'admin',
  params: IdParams,
  body: FromContacts,
  responses: { 201: json(z.object({ created: z.number(), skipped: z.number() }), 'How many'), ...adding },
  handler: ({ caller, params, body }, { invites }) => invites.addFromContacts(caller, params.id, body),
});
routes.add({
  method: 'get',
  path: '/v1/campaigns/{id}/invites',
  operationId: 'listInvites',
  summary: 'The invite table',
  access: 'any',
  params: IdParams,
  query: ListInvitesQuery,
  responses: { 200: json(page(InviteView), 'Newest first') },
  handler: ({ caller, params, query }, { invites }) => invites.list(caller, params.id, query),
});
routes.add({
  method: 'get',
  path: '/v1/campaigns/{id}/invites/export',
  operationId: 'exportInvitesCsv',
  summary: 'CSV of selected invites with full URLs (formula-safe)',
  access: 'any',
  params: IdParams,
  query: ExportQuery,
  responses: {
    200: exported,
    400: problem(`validation_failed (more than ${MAX_EXPORT_IDS_IN_QUERY} ids: POST them instead)`),
    404: problem('not_found'),
  },
  handler: async ({ caller, params: { id }, query: { ids } }, { invites }, _req, res) => {
    const selected = ids
      ? ids
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
    if (selected?.some((s) => !/^[0-9a-f-]{36}$/.test(s)))
      throw new ValidationError([{ field: 'ids', message: 'expected comma-separated invite ids' }]);
    if (selected && selected.length > MAX_EXPORT_IDS_IN_QUERY)
      throw new ValidationError([
        {
          field: 'ids',
          message: `at most ${MAX_EXPORT_IDS_IN_QUERY} ids in the query; for more, POST /v1/campaigns/${id}/invites/export with {"ids": [...]} (up to ${MAX_EXPORT_IDS})`,
        },
      ]);
    await sendExport(invites, caller, res, id, selected);
  },
});
routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/invites/export',
  operationId: 'exportSelectedInvites',
  summary: `CSV of selected invites, ids in the body (up to ${MAX_EXPORT_IDS}: more than a URL holds)`,
  access: 'any',
  params: IdParams,
  body: ExportInvites,
  responses: {
    200: exported,
    400: problem('validation_failed'),
    404: problem('not_found'),
    413: problem('payload_too_large'),
  },
  handler: ({ caller, params, body }, { invites }, _req, res) =>
    sendExport(invites, caller, res, params.id, body.ids),
});
routes.add({
  method: 'get',
  path: '/v1/invites/{id}/link',
  operationId: 'getInviteLink',
  summary: 'Copy link: the current URL',
  access: 'any',
  params: IdParams,
  responses: {
    200: json(z.object({ url: z.string() }), 'The private link'),
    404: problem('not_found'),
    410: {
      description:
        'invite_reset: Reset & resend voided this invite; `replacementId`/`replacementUrl` name the live one. invite_erased: its recipient was erased',
      content: { 'application/problem+json': { schema: z.union([InviteResetProblem, InviteErasedProblem]) } },
    },
  },
  handler: ({ caller, params }, { invites }) => invites.link(caller, params.id),
});
routes.add({
  method: 'patch',
  path: '/v1/invites/{id}',
  operationId: 'updateInvite',
  summary: "Change one invite's expiry (`expiresAt`, or `expiresIn` from now) and its reminder (audited)",
  description:
    "The invite must be unused and not expired, in a campaign that is not over. The campaign's deadline timer follows at once: an earlier expiry is processed at the new instant, a reminder moved later is sent again then. An email already sent keeps the expiry it stated.",
  access: 'any',
  params: IdParams,
  body: UpdateInvite,
  responses: {
    200: json(InviteView, 'The invite'),
    400: problem(
      'validation_failed (in the past, both expiresAt and expiresIn, a reminder without an expiry)',
    ),
    404: problem('not_found'),
    409: problem(
      'invite_expired: its own expiry passed (Reset & resend starts it over); invalid_state: it was used, or its campaign has ended',
    ),
    410: {
      description:
        'invite_reset: Reset & resend replaced it (`replacementId` names the live one); invite_erased',
      content: { 'application/problem+json': { schema: z.union([InviteResetProblem, InviteErasedProblem]) } },
    },
  },
  handler: ({ caller, params, body }, { invites }) => invites.update(caller, params.id, body),
});
routes.add({
  method: 'post',
  path: '/v1/contacts',
  operationId: 'createContact',
  summary: 'Save a contact',
  access: 'admin',
  body: CreateContact,
  responses: { 201: json(ContactView, 'The contact'), 409: problem('conflict'), ...forbidden },
  handler: ({ caller, body }, { contacts }) => contacts.create(caller, body),
});
routes.add({
  method: 'get',
  path: '/v1/contacts',
  operationId: 'listContacts',
  summary: 'Saved contacts',
  access: 'any',
  query: Pagination,
  responses: { 200: json(page(ContactView), 'Newest first') },
  handler: ({ caller, query }, { contacts }) => contacts.list(caller, query.limit, query.cursor),
});
routes.add({
  method: 'post',
  path: '/v1/contacts/import',
  operationId: 'importContactsCsv',
  summary: `Save contacts from CSV (header \`email,name\`, as the invite import reads it); bad rows and addresses already saved are reported, not saved. At most ${MAX_CONTACT_IMPORT_ROWS} rows and ${MAX_CONTACT_IMPORT_BYTES} bytes; a refused file saves nothing`,
  access: 'admin',
  rawBody: { contentType: 'text/csv', schema: z.string() },
  responses: {
    200: json(ImportReport, 'How many were saved and every rejected row'),
    400: problem('validation_failed: not text/csv, or no `email` column'),
    ...forbidden,
    413: problem(
      `payload_too_large: over ${MAX_CONTACT_IMPORT_BYTES} bytes or ${MAX_CONTACT_IMPORT_ROWS} rows; nothing saved`,
    ),
  },
  handler: ({ caller }, { contacts }, req) => {
    if (!req.is('text/csv'))
      throw new ValidationError([{ field: 'Content-Type', message: 'send the file as text/csv' }]);
    const declared = req.headers['content-length'];
    return contacts.importCsv(caller, req, declared === undefined ? undefined : Number(declared));
  },
});

export const inviteRoutes = (deps: Deps) => routes.router(deps);

async function sendExport(
  invites: InviteService,
  caller: Parameters<InviteService['exportCsv']>[0],
  res: Response,
  id: string,
  ids: string[] | undefined,
): Promise<void> {
  res.type('text/csv; charset=utf-8').attachment(`invites-${id}.csv`);
  await invites.exportCsv(caller, id, ids, res);
}
