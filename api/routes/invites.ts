import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type Response, Router } from 'express';
import { z } from 'zod';
import { adminOnly, callerOf } from '../auth';
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
  MAX_EXPORT_IDS_IN_QUERY,
  Pagination,
  page,
  registry,
} from '../schemas';
import type { ContactService } from '../usecases/contacts';
import { type InviteService, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../usecases/invites';
import { parse } from '../validate';
import { jsonBody as body, forbidden, json, problem, security } from '../openapi-helpers';
import { apiRouter } from '../router';

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

registry.registerPath({
  method: 'post',
  path: '/v1/campaigns/{id}/invites',
  operationId: 'createInvite',
  summary: 'Add one invite',
  security,
  request: { params: IdParams, ...body(CreateInvite) },
  responses: { 201: json(InviteView, 'The invite'), ...adding },
});
registry.registerPath({
  method: 'post',
  path: '/v1/campaigns/{id}/invites/bulk',
  operationId: 'createInvitesInBulk',
  summary: 'Add `count` link-only invites or a list of recipients',
  security,
  request: { params: IdParams, ...body(BulkInvites) },
  responses: { 201: json(CreatedInvites, 'How many'), ...adding },
});
registry.registerPath({
  method: 'post',
  path: '/v1/campaigns/{id}/invites/import',
  operationId: 'importInvitesCsv',
  summary: `Import recipients from CSV (header \`email,name\`), streamed; bad rows are reported, not imported. At most ${MAX_IMPORT_ROWS} rows and ${MAX_IMPORT_BYTES} bytes; a refused import adds nothing`,
  security,
  request: { params: IdParams, body: { content: { 'text/csv': { schema: z.string() } } } },
  responses: {
    200: json(ImportReport, 'What was imported and every rejected row'),
    ...adding,
    413: problem(
      `payload_too_large: over ${MAX_IMPORT_BYTES} bytes or ${MAX_IMPORT_ROWS} rows; nothing imported`,
    ),
  },
});
registry.registerPath({
  method: 'post',
  path: '/v1/campaigns/{id}/invites/from-contacts',
  operationId: 'createInvitesFromContacts',
  summary: 'Invite saved contacts',
  security,
  request: { params: IdParams, ...body(FromContacts) },
  responses: { 201: json(z.object({ created: z.number(), skipped: z.number() }), 'How many'), ...adding },
});
registry.registerPath({
  method: 'get',
  path: '/v1/campaigns/{id}/invites',
  operationId: 'listInvites',
  summary: 'The invite table',
  security,
  request: { params: IdParams, query: ListInvitesQuery },
  responses: { 200: json(page(InviteView), 'Newest first') },
});
registry.registerPath({
  method: 'get',
  path: '/v1/campaigns/{id}/invites/export',
  operationId: 'exportInvitesCsv',
  summary: 'CSV of selected invites with full URLs (formula-safe)',
  security,
  request: { params: IdParams, query: ExportQuery },
  responses: {
    200: exported,
    400: problem(`validation_failed (more than ${MAX_EXPORT_IDS_IN_QUERY} ids: POST them instead)`),
    404: problem('not_found'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/v1/campaigns/{id}/invites/export',
  operationId: 'exportSelectedInvites',
  summary: `CSV of selected invites, ids in the body (up to ${MAX_EXPORT_IDS}: more than a URL holds)`,
  security,
  request: { params: IdParams, ...body(ExportInvites) },
  responses: {
    200: exported,
    400: problem('validation_failed'),
    404: problem('not_found'),
    413: problem('payload_too_large'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/v1/invites/{id}/link',
  operationId: 'getInviteLink',
  summary: 'Copy link: the current URL',
  security,
  request: { params: IdParams },
  responses: {
    200: json(z.object({ url: z.string() }), 'The private link'),
    404: problem('not_found'),
    410: {
      description:
        'invite_reset: Reset & resend voided this invite; `replacementId`/`replacementUrl` name the live one. invite_erased: its recipient was erased',
      content: { 'application/problem+json': { schema: z.union([InviteResetProblem, InviteErasedProblem]) } },
    },
  },
});
registry.registerPath({
  method: 'post',
  path: '/v1/contacts',
  operationId: 'createContact',
  summary: 'Save a contact',
  security,
  request: body(CreateContact),
  responses: { 201: json(ContactView, 'The contact'), 409: problem('conflict'), ...forbidden },
});
registry.registerPath({
  method: 'get',
  path: '/v1/contacts',
  operationId: 'listContacts',
  summary: 'Saved contacts',
  security,
  request: { query: Pagination },
  responses: { 200: json(page(ContactView), 'Newest first') },
});

export function inviteRoutes({
  invites,
  contacts,
}: {
  invites: InviteService;
  contacts: ContactService;
}): Router {
  const router = apiRouter();
  const idOf = (params: unknown) => parse(IdParams, params, 'params').id;

  router.post('/campaigns/:id/invites', adminOnly, async (req, res) => {
    res
      .status(201)
      .json(await invites.addOne(callerOf(res), idOf(req.params), parse(CreateInvite, req.body)));
  });
  router.post('/campaigns/:id/invites/bulk', adminOnly, async (req, res) => {
    res
      .status(201)
      .json(await invites.addBulk(callerOf(res), idOf(req.params), parse(BulkInvites, req.body)));
  });
  router.post('/campaigns/:id/invites/import', adminOnly, async (req, res) => {
    try {
      if (!req.is('text/csv'))
        throw new ValidationError([{ field: 'Content-Type', message: 'send the file as text/csv' }]);
      const declared = req.headers['content-length'];
      res.json(
        await invites.importCsv(
          callerOf(res),
          idOf(req.params),
          req,
          declared === undefined ? undefined : Number(declared),
        ),
      );
    } finally {
      // A refused upload is read to its end (and dropped) so the client, still sending, gets the answer.
      await drain(req);
    }
  });
  router.post('/campaigns/:id/invites/from-contacts', adminOnly, async (req, res) => {
    res
      .status(201)
      .json(await invites.addFromContacts(callerOf(res), idOf(req.params), parse(FromContacts, req.body)));
  });
  router.get('/campaigns/:id/invites', async (req, res) => {
    res.json(
      await invites.list(callerOf(res), idOf(req.params), parse(ListInvitesQuery, req.query, 'query')),
    );
  });
  const sendExport = async (res: Response, id: string, ids: string[] | undefined) => {
    res.type('text/csv; charset=utf-8').attachment(`invites-${id}.csv`);
    await invites.exportCsv(callerOf(res), id, ids, res);
  };
  router.get('/campaigns/:id/invites/export', async (req, res) => {
    const id = idOf(req.params);
    const { ids } = parse(ExportQuery, req.query, 'query');
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
    await sendExport(res, id, selected);
  });
  router.post('/campaigns/:id/invites/export', async (req, res) => {
    const id = idOf(req.params);
    await sendExport(res, id, parse(ExportInvites, req.body).ids);
  });
  router.get('/invites/:id/link', async (req, res) => {
    res.json(await invites.link(callerOf(res), idOf(req.params)));
  });

  router.post('/contacts', adminOnly, async (req, res) => {
    res.status(201).json(await contacts.create(callerOf(res), parse(CreateContact, req.body)));
  });
  router.get('/contacts', async (req, res) => {
    const { limit, cursor } = parse(Pagination, req.query, 'query');
    res.json(await contacts.list(callerOf(res), limit, cursor));
  });
  return router;
}

async function drain(req: Readable): Promise<void> {
  if (req.readableEnded || req.destroyed) return;
  req.resume();
  await finished(req).catch(() => undefined);
}
