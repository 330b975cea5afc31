import { Router } from 'express';
import { z } from 'zod';
import { adminOnly, callerOf } from '../auth';
import { ValidationError } from '../errors';
import {
  BulkInvites,
  ContactView,
  CreateContact,
  CreatedInvites,
  CreateInvite,
  ExportQuery,
  FromContacts,
  IdParams,
  ImportReport,
  InviteView,
  ListInvitesQuery,
  Pagination,
  page,
  registry,
} from '../schemas';
import type { ContactService } from '../usecases/contacts';
import type { InviteService } from '../usecases/invites';
import { parse } from '../validate';
import { jsonBody as body, forbidden, json, problem, security } from '../openapi-helpers';

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
  summary: 'Import recipients from CSV (header `email,name`), streamed; bad rows are reported, not imported',
  security,
  request: { params: IdParams, body: { content: { 'text/csv': { schema: z.string() } } } },
  responses: { 200: json(ImportReport, 'What was imported and every rejected row'), ...adding },
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
  responses: { 200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } } },
});
registry.registerPath({
  method: 'get',
  path: '/v1/invites/{id}/link',
  operationId: 'getInviteLink',
  summary: 'Copy link: the current URL',
  security,
  request: { params: IdParams },
  responses: { 200: json(z.object({ url: z.string() }), 'The private link') },
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
  const router = Router();
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
    if (!req.is('text/csv'))
      throw new ValidationError([{ field: 'Content-Type', message: 'send the file as text/csv' }]);
    res.json(await invites.importCsv(callerOf(res), idOf(req.params), req));
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
    res.type('text/csv; charset=utf-8').attachment(`invites-${id}.csv`);
    await invites.exportCsv(callerOf(res), id, selected, res);
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
