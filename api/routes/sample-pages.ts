import type { Response } from 'express';
import { z } from 'zod';
import { publicAccess } from '../openapi-helpers';
import { renderSamplePage, type SampleKind } from '../pages/templates';
import { Routes } from '../route';
import { UnsubscribeForm } from '../schemas';
import { pageHeaders } from './pages';

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const pages = new Routes<object>();

/**
 * The pages a preview's and a test email's links open (api/usecases/campaign-preview.ts):
 * the invitation link says what it is, and the unsubscribe link (the List-Unsubscribe header's
 * too, which a mail client posts to) unsubscribes nobody.
 */
for (const kind of ['preview', 'test'] as const satisfies SampleKind[]) {
  const Kind = kind === 'test' ? 'Test' : 'Preview';
  const page =
    (link: 'invite' | 'unsubscribe') =>
    (_input: unknown, _deps: unknown, _req: unknown, res: Response): void =>
      void res.status(200).type('html').send(renderSamplePage(kind, link));
  pages.add({
    method: 'get',
    path: `/p/${kind}`,
    operationId: `show${Kind}LinkPage`,
    summary: `Where the invitation link of a ${kind === 'test' ? 'test email' : 'preview'} goes: a page saying so`,
    access: { security: publicAccess, guard: () => [pageHeaders] },
    responses: { 200: html(`"This is a ${kind}"`) },
    handler: page('invite'),
  });
  pages.add({
    method: 'get',
    path: `/p/${kind}/unsubscribe`,
    operationId: `show${Kind}UnsubscribePage`,
    summary: `The unsubscribe link of a ${kind === 'test' ? 'test email' : 'preview'}: unsubscribes nobody`,
    access: { security: publicAccess, guard: () => [pageHeaders] },
    responses: { 200: html('Nothing was unsubscribed') },
    handler: page('unsubscribe'),
  });
  pages.add({
    method: 'post',
    path: `/p/${kind}/unsubscribe`,
    operationId: `${kind}Unsubscribe`,
    summary: `A mail client's one-click unsubscribe (RFC 8058) of a ${kind === 'test' ? 'test email' : 'preview'}: 200, nobody unsubscribed`,
    access: { security: publicAccess, guard: () => [pageHeaders] },
    rawBody: { contentType: 'application/x-www-form-urlencoded', schema: UnsubscribeForm },
    responses: { 200: html('Nothing was unsubscribed') },
    handler: page('unsubscribe'),
  });
}

export const samplePageRoutes = () => pages.router({});
