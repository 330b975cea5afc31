import { json, problem } from '../openapi-helpers';
import { Routes } from '../route';
import { EraseRecipient, ErasureReport, IdParams, RecipientLookup, RecipientQuery } from '../schemas';
import type { ErasureService } from '../usecases/erasure';
import type { RecipientLookupService } from '../usecases/recipient-lookup';

const description =
  "Removes the person's name and address from contacts, invites, notifications, the dev outbox and exports, and their address from everything else the account holds or will send: webhook events (queued or delivered, so a retry does not resend it), pause reasons, order references and other text, where it is replaced by the reference; stored idempotent answers that quote it are deleted. Their invites are voided and lose their order reference: their links answer 410 and nothing more is sent to them. A suppression of the address keeps working. The audit log of each campaign they were in gets a `recipient_erased` entry with a non-reversible reference, never the address. Admin only.";
const errors = {
  401: problem('no valid API key'),
  403: problem('support key'),
};

type Deps = { erasure: ErasureService; recipients: RecipientLookupService };
const routes = new Routes<Deps>('/v1');

routes.add({
  method: 'delete',
  path: '/v1/contacts/{id}',
  operationId: 'eraseContact',
  summary: 'Erase a saved contact: the person, everywhere in this account',
  description,
  access: 'admin',
  params: IdParams,
  responses: {
    200: json(ErasureReport, 'What was erased'),
    400: problem('not a contact id'),
    ...errors,
    404: problem("no such contact in this account (another account's contact is a 404)"),
  },
  handler: ({ caller, params }, { erasure }) => erasure.eraseContact(caller, params.id),
});
routes.add({
  method: 'post',
  path: '/v1/recipients/erase',
  operationId: 'eraseRecipient',
  summary: 'Erase a person by address, everywhere in this account',
  description: `${description} Erasing an address this account never had answers zeros.`,
  access: 'admin',
  body: EraseRecipient,
  responses: {
    200: json(ErasureReport, 'What was erased'),
    400: problem('not an email address'),
    ...errors,
  },
  handler: ({ caller, body }, { erasure }) => erasure.eraseAddress(caller, body.email),
});

routes.add({
  method: 'get',
  path: '/v1/recipients',
  operationId: 'findRecipient',
  summary: "Where a person's address stands in this account: contacts, invites per campaign, suppression",
  description:
    'An exact match on the address as stored (trimmed, lower-case), in this account only: what an erasure of it would clear. The address is not logged. Admin only.',
  access: 'admin',
  query: RecipientQuery,
  responses: {
    200: json(RecipientLookup, 'Where the address appears (empty lists: nowhere)'),
    400: problem('not an email address'),
    ...errors,
  },
  handler: ({ caller, query }, { recipients }) => recipients.find(caller, query.email),
});

export const erasureRoutes = (deps: Deps) => routes.router(deps);
