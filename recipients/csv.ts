/**
 * Streaming reader for recipient CSV uploads (`email,name`, and optionally `timezone`: the
 * recipient's IANA zone, for the send window; SPEC "Sending policy"; and `phone`: international,
 * stored in E.164, recipients/phone.ts).
 *
 * The file is parsed record by record with csv-parse and handed out in chunks, so a 100,000-row upload is
 * never held in memory at once; only the addresses already seen (for duplicate detection), or their
 * fingerprints, grow with the file.
 *
 * Row numbers are the row a spreadsheet shows: the header is row 1, blank lines count as rows, and a
 * quoted field that spans several lines is still one row.
 */
import { Transform } from 'node:stream';
import { CsvError, parse, type Info } from 'csv-parse';
import { canonicalTimeZone, isTimeZone, NOT_A_TIME_ZONE } from '../domain/send-window';
import { checkEmail } from './email-address';
import { checkPhone } from './phone';
import { SeenAddresses } from './seen-addresses';

export interface CsvRecipient {
  row: number;
  email: string;
  name: string | null;
  /** An IANA zone isTimeZone accepts, in the runtime's spelling; null when the cell is empty or absent. */
  timeZone: string | null;
  /** E.164 (recipients/phone.ts); absent when the cell is empty or absent. */
  phone?: string;
  /** With `seen: 'fingerprints'`: an earlier row may have had this address; the caller decides. */
  maybeRepeat?: true;
}

export interface CsvRejection {
  row: number;
  email: string;
  reason: string;
}

export interface CsvChunk {
  recipients: CsvRecipient[];
  rejected: CsvRejection[];
}

export interface ReadRecipientsCsvOptions {
  /** Good recipients per yielded chunk (default 1000). */
  chunkSize?: number;
  /** Most data rows accepted (blank lines not counted); one more throws CsvTooLargeError. */
  maxRows?: number;
  /** Most bytes read from the input; one more throws CsvTooManyBytesError. */
  maxBytes?: number;
  /**
   * How repeated addresses are found. 'addresses' (the default) keeps each one and rejects a
   * repeat as 'duplicate in file'. 'fingerprints' keeps 52 bits of each (recipients/seen-addresses.ts,
   * a fraction of the memory) and yields a row whose fingerprint came before with `maybeRepeat`,
   * for the caller to confirm against the rows it stored.
   */
  seen?: 'addresses' | 'fingerprints';
}

export const EXPECTED_HEADER = 'email,name';
export const MAX_NAME_LENGTH = 200;
/** The invites column's width (no IANA name comes close). */
const MAX_TIME_ZONE_LENGTH = 64;
/** A record larger than this is almost always an unclosed quote swallowing the rest of the file. */
const MAX_RECORD_CHARS = 1_000_000;

/** The first row is not a header with an `email` column. */
export class CsvHeaderError extends Error {
  constructor(detail: string) {
    super(`${detail}; expected a header row like: ${EXPECTED_HEADER}`);
    this.name = 'CsvHeaderError';
  }
}

/** The file has more data rows than `maxRows`. */
export class CsvTooLargeError extends Error {
  constructor(readonly maxRows: number) {
    super(`CSV has more than ${maxRows} rows`);
    this.name = 'CsvTooLargeError';
  }
}

/** The input has more than `maxBytes` bytes. */
export class CsvTooManyBytesError extends Error {
  constructor(readonly maxBytes: number) {
    super(`CSV is larger than ${maxBytes} bytes`);
    this.name = 'CsvTooManyBytesError';
  }
}

/**
 * The CSV cannot be parsed past `row` (e.g. a quote that is never closed). Such errors are thrown rather
 * than reported as a rejected row because csv-parse cannot reliably resume after them: it would silently
 * swallow the rows that follow.
 */
export class CsvFormatError extends Error {
  constructor(
    readonly row: number,
    readonly code: string,
    detail: string,
  ) {
    super(`Malformed CSV at row ${row}: ${detail}`);
    this.name = 'CsvFormatError';
  }
}

interface Row {
  row: number;
  cells: string[];
}

interface ParsedRecord {
  info: Info;
  record: string[];
}

interface Columns {
  email: number;
  name: number | null;
  timeZone: number | null;
  phone: number | null;
}

export async function* readRecipientsCsv(
  input: NodeJS.ReadableStream,
  opts: ReadRecipientsCsvOptions = {},
): AsyncGenerator<CsvChunk> {
  const chunkSize = opts.chunkSize ?? 1000;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError('chunkSize must be a positive integer');
  }
  const maxRows = opts.maxRows ?? Infinity;
  if (maxRows !== Infinity && (!Number.isInteger(maxRows) || maxRows < 0)) {
    throw new RangeError('maxRows must be a non-negative integer');
  }
  const maxBytes = opts.maxBytes ?? Infinity;

  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // A stray quote inside an unquoted field is kept as text, as spreadsheets do: `Bo"b` → Bo"b.
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
    // Each record comes with counts of the records and skipped blank lines so far: its spreadsheet row.
    info: true,
  });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > maxBytes ? new CsvTooManyBytesError(maxBytes) : null, chunk);
    },
  });
  // Errors reach the consumer through the parser's async iterator. Not `pipeline`: it would
  // destroy the input when we stop early, and an HTTP request destroyed mid-body takes its
  // socket along, so the caller could not answer why; the caller drains the rest instead.
  const onInputError = (err: Error) => counter.destroy(err);
  input.on('error', onInputError);
  counter.on('error', (err) => parser.destroy(err));
  input.pipe(counter).pipe(parser);

  let columns: Columns | null = null;
  let dataRows = 0;
  const seen: Seen = opts.seen === 'fingerprints' ? fingerprints() : addresses();
  let recipients: CsvRecipient[] = [];
  let rejected: CsvRejection[] = [];

  try {
    for await (const { info, record: cells } of parser as AsyncIterable<ParsedRecord>) {
      const record: Row = { row: info.records + info.empty_lines, cells };
      if (!columns) {
        columns = headerColumns(record.cells);
        continue;
      }
      if (record.cells.every((cell) => cell === '')) continue; // `,,` lines: a blank spreadsheet row
      if (++dataRows > maxRows) throw new CsvTooLargeError(maxRows);

      const outcome = readRow(record, columns, seen);
      if ('reason' in outcome) rejected.push(outcome);
      else recipients.push(outcome);

      // Rejections flush too, so a file of nothing but bad rows stays bounded in memory as well.
      if (recipients.length >= chunkSize || rejected.length >= chunkSize) {
        yield { recipients, rejected };
        recipients = [];
        rejected = [];
      }
    }
  } catch (err) {
    if (err instanceof CsvError) throw formatError(err);
    throw err;
  } finally {
    input.unpipe(counter);
    input.off('error', onInputError);
    counter.destroy();
  }

  if (!columns) throw new CsvHeaderError('CSV is empty');
  if (recipients.length > 0 || rejected.length > 0) yield { recipients, rejected };
}

function headerColumns(cells: string[]): Columns {
  const names = cells.map((cell) => cell.trim().toLowerCase());
  const email = names.indexOf('email');
  if (email < 0) {
    const got = cells.join(',');
    throw new CsvHeaderError(
      `CSV header has no "email" column (got: ${got.length > 100 ? got.slice(0, 100) + '…' : got})`,
    );
  }
  const at = (column: string) => (names.indexOf(column) < 0 ? null : names.indexOf(column));
  return { email, name: at('name'), timeZone: at('timezone'), phone: at('phone') };
}

/** 'repeat': seen for certain; 'maybe': perhaps (fingerprints); 'new': first time. */
interface Seen {
  check(email: string): 'repeat' | 'maybe' | 'new';
  add(email: string): void;
}

function addresses(): Seen {
  const set = new Set<string>();
  return { check: (email) => (set.has(email) ? 'repeat' : 'new'), add: (email) => void set.add(email) };
}

function fingerprints(): Seen {
  const prints = new SeenAddresses();
  return { check: (email) => (prints.has(email) ? 'maybe' : 'new'), add: (email) => prints.add(email) };
}

function readRow({ row, cells }: Row, columns: Columns, seen: Seen): CsvRecipient | CsvRejection {
  const rawEmail = (cells[columns.email] ?? '').trim();
  const checked = checkEmail(rawEmail);
  if (!checked.ok) return { row, email: rawEmail, reason: checked.reason };
  const before = seen.check(checked.email);
  if (before === 'repeat') return { row, email: rawEmail, reason: 'duplicate in file' };

  const name = columns.name === null ? '' : (cells[columns.name] ?? '').trim();
  if (name.length > MAX_NAME_LENGTH) return { row, email: rawEmail, reason: 'name too long' };

  const timeZone = columns.timeZone === null ? '' : (cells[columns.timeZone] ?? '').trim();
  if (timeZone !== '' && (timeZone.length > MAX_TIME_ZONE_LENGTH || !isTimeZone(timeZone)))
    return { row, email: rawEmail, reason: `timezone ${NOT_A_TIME_ZONE}` };

  const rawPhone = columns.phone === null ? '' : (cells[columns.phone] ?? '').trim();
  const phone = rawPhone === '' ? null : checkPhone(rawPhone);
  if (phone && !phone.ok) return { row, email: rawEmail, reason: phone.reason };

  seen.add(checked.email);
  return {
    row,
    email: checked.email,
    name: name === '' ? null : name,
    timeZone: timeZone === '' ? null : canonicalTimeZone(timeZone),
    ...(phone ? { phone: phone.phone } : {}),
    ...(before === 'maybe' ? { maybeRepeat: true as const } : {}),
  };
}

function formatError(err: CsvError): CsvFormatError {
  // The failing record starts on the row after everything parsed so far.
  const context = err as CsvError & { records?: number; empty_lines?: number };
  const row = (context.records ?? 0) + (context.empty_lines ?? 0) + 1;
  const detail: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (look for a stray " in this row)',
    CSV_MAX_RECORD_SIZE: 'the row is far too long (probably a quoted field that is never closed)',
    CSV_INVALID_CLOSING_QUOTE: 'unexpected text after a closing quote',
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'unexpected text after a closing quote',
  };
  return new CsvFormatError(row, err.code, detail[err.code] ?? err.message);
}
