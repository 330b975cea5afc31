import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { checkEmail, normaliseEmail } from '../recipients/email-address';
import {
  CsvFormatError,
  CsvHeaderError,
  CsvTooLargeError,
  CsvTooManyBytesError,
  readRecipientsCsv,
  type CsvChunk,
  type CsvRecipient,
  type CsvRejection,
} from '../recipients/csv';

/** Feeds `text` to the reader in pieces of `pieceSize` characters (so records straddle stream chunks). */
async function read(
  text: string,
  opts: {
    chunkSize?: number;
    maxRows?: number;
    pieceSize?: number;
    seen?: 'addresses' | 'fingerprints';
  } = {},
) {
  const { pieceSize = text.length || 1, ...readOpts } = opts;
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += pieceSize) pieces.push(text.slice(i, i + pieceSize));
  const chunks: CsvChunk[] = [];
  for await (const chunk of readRecipientsCsv(Readable.from(pieces), readOpts)) chunks.push(chunk);
  return {
    chunks,
    recipients: chunks.flatMap((c): CsvRecipient[] => c.recipients),
    rejected: chunks.flatMap((c): CsvRejection[] => c.rejected),
  };
}

describe('Email address check', () => {
  it.each([
    ['bob@example.com', 'bob@example.com'],
    ['  Bob.Smith+news@Example.CO.uk \t', 'bob.smith+news@example.co.uk'],
    ["o'brien@sub-domain.example.org", "o'brien@sub-domain.example.org"],
    ['x@xn--80ak6aa92e.xn--p1ai', 'x@xn--80ak6aa92e.xn--p1ai'],
    ['someone@omantel.om', 'someone@omantel.om'],
    ['someone@camtel.cm', 'someone@camtel.cm'],
    ['a@b.co', 'a@b.co'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
    [`bob@${'a'.repeat(61)}.${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(60)}.com`, null], // 254 chars
  ])('when the address is %j, then it is accepted as %j', (raw, email) => {
    expect(checkEmail(raw)).toEqual({ ok: true, email: email ?? raw });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['bob @example.com', 'contains spaces'],
    ['bob@exam\u00a0ple.com', 'contains spaces'],
    ['bob.example.com', 'missing @'],
    ['bob@@example.com', 'more than one @'],
    ['a@b@example.com', 'more than one @'],
    ['@example.com', 'bad local part'],
    ['.bob@example.com', 'bad local part'],
    ['bob.@example.com', 'bad local part'],
    ['bo..b@example.com', 'bad local part'],
    ['"bob"@example.com', 'bad local part'],
    ['bób@example.com', 'bad local part'],
    ['bob@', 'bad domain'],
    ['bob@localhost', 'bad domain'],
    ['bob@example..com', 'bad domain'],
    ['bob@.example.com', 'bad domain'],
    ['bob@example.com.', 'bad domain'],
    ['bob@-example.com', 'bad domain'],
    ['bob@example-.com', 'bad domain'],
    ['bob@exa_mple.com', 'bad domain'],
    ['bob@exämple.com', 'bad domain'],
    ['bob@[192.168.0.1]', 'bad domain'],
    ['bob@example.c', 'bad domain'],
    ['bob@example.123', 'bad domain'],
    ['bob@192.168.0.1', 'bad domain'],
    [`bob@${'a'.repeat(64)}.com`, 'bad domain'],
    ['bob@example.con', 'domain typo: .con (did you mean .com?)'],
    ['bob@mail.example.CMO', 'domain typo: .cmo (did you mean .com?)'],
    ['bob@example.ocm', 'domain typo: .ocm (did you mean .com?)'],
    ['bob@example.comm', 'domain typo: .comm (did you mean .com?)'],
    ['bob@gmail.om', 'domain typo: .om (did you mean .com?)'],
    ['bob@hotmail.cm', 'domain typo: .cm (did you mean .com?)'],
    ['bob@example.nte', 'domain typo: .nte (did you mean .net?)'],
    ['bob@example.ner', 'domain typo: .ner (did you mean .net?)'],
    ['bob@example.ogr', 'domain typo: .ogr (did you mean .org?)'],
    ['bob@example.orgg', 'domain typo: .orgg (did you mean .org?)'],
    ['bob@gmial.com', 'domain typo: gmial.com (did you mean gmail.com?)'],
    ['bob@GMAI.com', 'domain typo: gmai.com (did you mean gmail.com?)'],
    ['bob@gamil.com', 'domain typo: gamil.com (did you mean gmail.com?)'],
    ['bob@hotmial.com', 'domain typo: hotmial.com (did you mean hotmail.com?)'],
    ['bob@yaho.com', 'domain typo: yaho.com (did you mean yahoo.com?)'],
    [`${'a'.repeat(65)}@example.com`, 'too long'],
    [`bob@${'a'.repeat(61)}.${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.com`, 'too long'], // 255 chars
  ])('when the address is %j, then it is rejected with reason %j', (raw, reason) => {
    expect(checkEmail(raw)).toEqual({ ok: false, reason });
  });

  it('normalises an address by trimming and lower-casing it', () => {
    expect(normaliseEmail('  Bob@Example.COM\n')).toBe('bob@example.com');
  });
});

describe('Recipient CSV reader', () => {
  it('when the header has no email column, then it throws a CsvHeaderError that names the expected header', async () => {
    const err = await read('mail,name\nbob@example.com,Bob\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvHeaderError);
    expect((err as Error).message).toContain('email,name');
    expect((err as Error).message).toContain('mail,name');
  });

  it('when the file is empty or only blank lines, then it throws a CsvHeaderError', async () => {
    await expect(read('')).rejects.toBeInstanceOf(CsvHeaderError);
    await expect(read('\n\n \n')).rejects.toBeInstanceOf(CsvHeaderError);
  });

  it('when the file has a BOM, a differently cased header in another order and extra columns, then it reads it', async () => {
    const { recipients, rejected } = await read(
      '\uFEFFNotes,NAME,Email\r\nvip,"Smith, Bob",Bob@Example.com\r\n,Carol,carol@example.com\r\n',
    );
    expect(rejected).toEqual([]);
    expect(recipients).toEqual([
      { row: 2, email: 'bob@example.com', name: 'Smith, Bob', timeZone: null },
      { row: 3, email: 'carol@example.com', name: 'Carol', timeZone: null },
    ]);
  });

  it('when names are quoted with commas and quotes, padded, empty or missing, then they are unquoted, trimmed or null', async () => {
    const { recipients } = await read(
      [
        'email,name',
        'a@example.com,"Builder, Bob ""The"""',
        'b@example.com,  Carol  ',
        'c@example.com,',
        'd@example.com',
        'e@example.com,"  "',
        'f@example.com,Dwayne "The Rock" Johnson',
      ].join('\n'),
    );
    expect(recipients.map((r) => r.name)).toEqual([
      'Builder, Bob "The"',
      'Carol',
      null,
      null,
      null,
      'Dwayne "The Rock" Johnson',
    ]);
  });

  it('when there is no name column, then every name is null', async () => {
    const { recipients } = await read('email\na@example.com\n');
    expect(recipients).toEqual([{ row: 2, email: 'a@example.com', name: null, timeZone: null }]);
  });

  it('when a row has a space, no @, a bad domain or a .con typo, then it is reported with its row number and reason and not yielded', async () => {
    const { recipients, rejected } = await read(
      [
        'email,name',
        'good@example.com,Good',
        'bob smith@example.com,Space',
        'bob.example.com,NoAt',
        'bob@example,BadDomain',
        'bob@example.con,Typo',
        ',NoEmail',
        'last@example.com,Last',
      ].join('\n'),
    );
    expect(recipients.map((r) => r.row)).toEqual([2, 8]);
    expect(rejected).toEqual([
      { row: 3, email: 'bob smith@example.com', reason: 'contains spaces' },
      { row: 4, email: 'bob.example.com', reason: 'missing @' },
      { row: 5, email: 'bob@example', reason: 'bad domain' },
      { row: 6, email: 'bob@example.con', reason: 'domain typo: .con (did you mean .com?)' },
      { row: 7, email: '', reason: 'empty' },
    ]);
  });

  it('when an address appears again in the file, in any case, then the later rows are rejected as duplicates', async () => {
    const { recipients, rejected } = await read(
      'email,name\nbob@example.com,First\nBOB@example.com,Second\ncarol@example.com,C\n bob@EXAMPLE.com ,Third\n',
    );
    expect(recipients).toEqual([
      { row: 2, email: 'bob@example.com', name: 'First', timeZone: null },
      { row: 4, email: 'carol@example.com', name: 'C', timeZone: null },
    ]);
    expect(rejected).toEqual([
      { row: 3, email: 'BOB@example.com', reason: 'duplicate in file' },
      { row: 5, email: 'bob@EXAMPLE.com', reason: 'duplicate in file' },
    ]);
  });

  it('when repeats are found by fingerprint, then every row with a good address comes out and the later ones are marked as maybe repeats, for the import to confirm', async () => {
    const { recipients, rejected } = await read(
      'email,name\nbob@example.com,First\nBOB@example.com,Second\ncarol@example.com,C\n bob@EXAMPLE.com ,Third\n',
      { seen: 'fingerprints' },
    );
    expect(recipients).toEqual([
      { row: 2, email: 'bob@example.com', name: 'First', timeZone: null },
      { row: 3, email: 'bob@example.com', name: 'Second', timeZone: null, maybeRepeat: true },
      { row: 4, email: 'carol@example.com', name: 'C', timeZone: null },
      { row: 5, email: 'bob@example.com', name: 'Third', timeZone: null, maybeRepeat: true },
    ]);
    expect(rejected).toEqual([]);
  });

  it('when 200,000 distinct addresses are read by fingerprint, then none is taken for a repeat', async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `person${i}@example.com,P${i}`);
    const { recipients } = await read(`email,name\n${lines.join('\n')}\n`, { seen: 'fingerprints' });
    expect(recipients).toHaveLength(200_000);
    expect(recipients.filter((r) => r.maybeRepeat)).toEqual([]);
  });

  it('when a name is longer than 200 characters, then the row is rejected and a later row with that address is kept', async () => {
    const { recipients, rejected } = await read(
      `email,name\na@example.com,${'x'.repeat(201)}\nb@example.com,${'y'.repeat(200)}\na@example.com,Short\n`,
    );
    expect(rejected).toEqual([{ row: 2, email: 'a@example.com', reason: 'name too long' }]);
    expect(recipients.map((r) => [r.row, r.email])).toEqual([
      [3, 'b@example.com'],
      [4, 'a@example.com'],
    ]);
  });

  it("when a timezone column names each recipient's zone, then good zones are kept in their usual spelling, empty ones are null and the rest are rejected rows", async () => {
    const { recipients, rejected } = await read(
      [
        'email,name,TimeZone',
        'ada@example.com,Ada,Europe/Berlin',
        'bob@example.com,Bob,america/new_york',
        'cy@example.com,Cy,',
        'dee@example.com,Dee,Mars/Olympus',
        'eve@example.com,Eve,+02:00',
        'fay@example.com,Fay',
      ].join('\n'),
    );
    expect(recipients.map((r) => [r.email, r.timeZone])).toEqual([
      ['ada@example.com', 'Europe/Berlin'],
      ['bob@example.com', 'America/New_York'],
      ['cy@example.com', null],
      ['fay@example.com', null],
    ]);
    const notAZone =
      'timezone must be an IANA time zone such as Europe/Berlin (offsets like +02:00 are not zones)';
    expect(rejected).toEqual([
      { row: 5, email: 'dee@example.com', reason: notAZone },
      { row: 6, email: 'eve@example.com', reason: notAZone },
    ]);
  });

  it.each([1, 3, 1000])(
    'when there are blank lines, empty-cell lines and multi-line quoted fields (fed in %i-char pieces), then rows are numbered as a spreadsheet shows them',
    async (pieceSize) => {
      const csv = [
        'email,name', //                          row 1
        'a@example.com,A', //                     row 2
        '', //                                    row 3 (blank)
        'b@example.com,"two\r\nlines"', //        row 4
        '  ', //                                  row 5 (blank)
        ',,', //                                  row 6 (empty cells)
        'c@example.com,"three\nmore\nlines"', //  row 7
        'bad@example,C', //                       row 8
        'd@example.com,D', //                     row 9
      ].join('\r\n');
      const { recipients, rejected } = await read(csv, { pieceSize });
      expect(recipients).toEqual([
        { row: 2, email: 'a@example.com', name: 'A', timeZone: null },
        { row: 4, email: 'b@example.com', name: 'two\r\nlines', timeZone: null },
        { row: 7, email: 'c@example.com', name: 'three\nmore\nlines', timeZone: null },
        { row: 9, email: 'd@example.com', name: 'D', timeZone: null },
      ]);
      expect(rejected).toEqual([{ row: 8, email: 'bad@example', reason: 'bad domain' }]);
    },
  );

  it('when a quote is never closed, then it throws a CsvFormatError naming the row where it opened', async () => {
    const err = await read('email,name\n\na@example.com,A\nb@example.com,"Bob\nc@example.com,C\n').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CsvFormatError);
    expect(err).toMatchObject({ row: 4, code: 'CSV_QUOTE_NOT_CLOSED' });
    expect((err as Error).message).toMatch(/^Malformed CSV at row 4: a quoted field is never closed/);
  });

  it('when text follows a closing quote, then it throws a CsvFormatError for that row', async () => {
    await expect(read('email,name\na@example.com,"Bob" Jr\n')).rejects.toMatchObject({
      name: 'CsvFormatError',
      row: 2,
    });
  });

  it('when the file has more data rows than maxRows, then it throws CsvTooLargeError; blank lines do not count', async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `u${i}@example.com`);
    const ok = await read(['email', ...rows(3), '', ''].join('\n'), { maxRows: 3 });
    expect(ok.recipients).toHaveLength(3);
    const err = await read(['email', ...rows(4)].join('\n'), { maxRows: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvTooLargeError);
    expect(err).toMatchObject({ maxRows: 3 });
  });

  it('when there are 2,500 good rows and chunkSize 1000, then it yields 1000, 1000 and 500 with each rejection in the chunk it was found in', async () => {
    const lines = ['email,name'];
    for (let i = 0; i < 2500; i++) {
      lines.push(`user${i}@example.com,User ${i}`);
      if (i === 10 || i === 1500) lines.push(`bad${i}@example.con,Bad`);
    }
    const { chunks } = await read(lines.join('\n'), { chunkSize: 1000 });
    expect(chunks.map((c) => c.recipients.length)).toEqual([1000, 1000, 500]);
    expect(chunks.map((c) => c.rejected.map((r) => r.email))).toEqual([
      ['bad10@example.con'],
      ['bad1500@example.con'],
      [],
    ]);
    expect(chunks[2].recipients.at(-1)).toEqual({
      row: 2503,
      email: 'user2499@example.com',
      name: 'User 2499',
      timeZone: null,
    });
  });

  it('when the input stream fails, then the reader throws that error', async () => {
    async function* failing() {
      yield 'email\na@example.com\n';
      throw new Error('upload aborted');
    }
    const reading = (async () => {
      for await (const _chunk of readRecipientsCsv(Readable.from(failing()))) {
        /* drain */
      }
    })();
    await expect(reading).rejects.toThrow('upload aborted');
  });

  it('when the consumer stops early, then the reader lets go of the upload without destroying it, so the caller can drain it and still answer', async () => {
    // Destroying an HTTP request mid-body destroys its socket: the 413/400 could never be sent.
    function* rows() {
      yield 'email\n';
      for (let i = 0; i < 5000; i++) yield `user${i}@example.com\n`;
    }
    const input = Readable.from(rows());
    for await (const chunk of readRecipientsCsv(input, { chunkSize: 10 })) {
      expect(chunk.recipients).toHaveLength(10);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(input.destroyed).toBe(false);
    input.resume();
    await finished(input);
    expect(input.readableEnded).toBe(true);
  });

  it('when the input is over maxBytes, then it stops with CsvTooManyBytesError naming the limit', async () => {
    const read = async () => {
      const input = Readable.from(['email\n', 'a@example.com\n'.repeat(100)]);
      for await (const chunk of readRecipientsCsv(input, { maxBytes: 1000 })) void chunk;
    };
    await expect(read()).rejects.toThrow(CsvTooManyBytesError);
    await expect(read()).rejects.toThrow('CSV is larger than 1000 bytes');
  });

  it('when 100,000 rows with 1% bad ones are streamed in, then the counts are exact and the heap stays small', async () => {
    const total = 100_000;
    const reasons = [
      'contains spaces',
      'missing @',
      'bad domain',
      'domain typo: .con (did you mean .com?)',
      'duplicate in file',
    ];
    const badAddress = (i: number) =>
      [
        `user ${i}@example.com`,
        `user${i}.example.com`,
        `user${i}@example`,
        `user${i}@example.con`,
        `user${i - 1}@example.com`,
      ][(i / 100) % reasons.length];
    // Row i + 2 for data row i; every 100th row is bad, cycling through the reasons above.
    function* lines() {
      yield 'email,name\n';
      for (let start = 0; start < total; start += 500) {
        let piece = '';
        for (let i = start; i < start + 500; i++) {
          piece +=
            i % 100 === 0 && i > 0 ? `${badAddress(i)},"Bad, ${i}"\n` : `user${i}@example.com,"User, ${i}"\n`;
        }
        yield piece;
      }
    }

    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    let good = 0;
    let chunks = 0;
    const rejectedBy = new Map<string, number>();
    let lastRow = 0;
    for await (const chunk of readRecipientsCsv(Readable.from(lines()), {
      chunkSize: 1000,
      maxRows: total,
    })) {
      chunks++;
      good += chunk.recipients.length;
      for (const r of chunk.rejected) {
        rejectedBy.set(r.reason, (rejectedBy.get(r.reason) ?? 0) + 1);
        expect(r.email).toBe(badAddress(r.row - 2).trim());
      }
      lastRow = chunk.recipients.at(-1)?.row ?? lastRow;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }

    const bad = total / 100 - 1;
    expect(good).toBe(total - bad);
    expect(chunks).toBe(Math.ceil((total - bad) / 1000));
    expect(lastRow).toBe(total + 1);
    expect(Object.fromEntries(rejectedBy)).toEqual(
      Object.fromEntries(
        reasons.map((reason, k) => [
          reason,
          Array.from({ length: bad }, (_, j) => j + 1).filter((n) => n % 5 === k).length,
        ]),
      ),
    );
    const growthMb = (peakHeap - heapBefore) / 2 ** 20;
    expect(growthMb).toBeLessThan(150);
  });
});
