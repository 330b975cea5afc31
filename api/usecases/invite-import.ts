import type { Readable } from 'node:stream';
import { type Config, DEFAULT_IMPORT_LIMITS } from '../../config/config';
import { log } from '../../ops/log';
import {
  CsvFormatError,
  CsvHeaderError,
  CsvTooLargeError,
  CsvTooManyBytesError,
  readRecipientsCsv,
} from '../../recipients/csv';
import { ImportSpool } from '../../recipients/import-spool';
import type { Caller } from '../auth';
import { PayloadTooLargeError, ValidationError } from '../errors';
import type { ImportReport } from '../schemas';
import { addInvites, type IntakeDeps, refuseUnlessAcceptingInvites } from './invite-intake';
import { ownedCampaign } from './owned';

/** One CSV import's limits unless configured (`IMPORT_MAX_ROWS`, `IMPORT_MAX_BYTES`). */
export const { maxRows: MAX_IMPORT_ROWS, maxBytes: MAX_IMPORT_BYTES } = DEFAULT_IMPORT_LIMITS;
const IMPORT_CHUNK = 1000;
const tooManyBytes = (maxBytes: number) =>
  new PayloadTooLargeError(
    `the CSV is larger than ${maxBytes} bytes${maxBytes % 2 ** 20 ? '' : ` (${maxBytes / 2 ** 20} MiB)`}; split the file`,
    maxBytes,
  );

/**
 * Streams the CSV: 100,000 rows never sit in memory at once. The whole upload is read and
 * checked against the limits first, its good rows parked on disk; only then do they go in,
 * all in one transaction (addInvites), so a refused import (too big, malformed, 402) changes
 * nothing.
 */
export async function importCsv(
  deps: IntakeDeps & { importLimits?: Config['imports'] },
  caller: Caller,
  campaignId: string,
  body: Readable,
  declaredBytes?: number,
): Promise<ImportReport> {
  const { maxRows, maxBytes } = deps.importLimits ?? DEFAULT_IMPORT_LIMITS;
  if (declaredBytes !== undefined && declaredBytes > maxBytes) throw tooManyBytes(maxBytes);
  const campaign = await ownedCampaign(deps.db, caller, campaignId);
  refuseUnlessAcceptingInvites(campaign);
  const spool = await ImportSpool.create();
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  try {
    const rejected: ImportReport['rejected'] = [];
    let good = 0;
    try {
      const rows = readRecipientsCsv(body, {
        chunkSize: IMPORT_CHUNK,
        maxRows,
        maxBytes,
        // A million addresses as strings would double the API's memory; the insert confirms
        // repeats (withoutTaken, invite-intake.ts).
        seen: 'fingerprints',
      });
      for await (const chunk of rows) {
        await spool.write(chunk.recipients);
        good += chunk.recipients.length;
        rejected.push(...chunk.rejected);
      }
      await spool.finish();
      // A million rows take minutes in all: the log says which half of the work is under way.
      log.info('import: file read and checked; inserting', {
        campaignId,
        rows: good,
        rejected: rejected.length,
        seconds: seconds(),
      });
    } catch (err) {
      if (err instanceof CsvTooManyBytesError) throw tooManyBytes(maxBytes);
      if (err instanceof CsvTooLargeError)
        throw new PayloadTooLargeError(`${err.message}; split the file (at most ${maxRows} rows)`);
      if (err instanceof CsvHeaderError || err instanceof CsvFormatError)
        throw new ValidationError([{ field: '(body)', message: err.message }]);
      throw err;
    }
    const chunks = async function* () {
      for await (const recipients of spool.chunks(IMPORT_CHUNK)) yield { recipients, rejected: [] };
    };
    const added = await addInvites(deps, caller, campaignId, chunks, {});
    rejected.push(...added.rejected);
    log.info('import: done', { campaignId, imported: added.count, seconds: seconds() });
    return { imported: added.count, rejected: rejected.sort((a, b) => a.row - b.row) };
  } finally {
    await spool.remove();
  }
}
