import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CsvRecipient } from './csv';

/**
 * The good rows of an upload, parked on disk until the whole upload has been read and found
 * within limits. Then they go into the database in one transaction, at database speed rather
 * than upload speed, and that transaction can be run again (a deadlock retry) by reading the
 * file again. Memory stays bounded: rows are written and read back a chunk at a time.
 */
export class ImportSpool {
  private constructor(
    private readonly dir: string,
    private readonly out: WriteStream,
  ) {}

  static async create(): Promise<ImportSpool> {
    const dir = await mkdtemp(join(tmpdir(), 'herald-import-'));
    return new ImportSpool(dir, createWriteStream(join(dir, 'rows.ndjson')));
  }

  async write(rows: CsvRecipient[]): Promise<void> {
    if (rows.length === 0) return;
    const text = rows
      .map(
        (r) =>
          `${JSON.stringify([r.row, r.email, r.name, r.timeZone, r.phone ?? null, ...(r.maybeRepeat ? [1] : [])])}\n`,
      )
      .join('');
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  /** Call once, after the last write. */
  async finish(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }

  /** The rows in the order written, `size` at a time; each call reads the file afresh. */
  async *chunks(size: number): AsyncGenerator<CsvRecipient[]> {
    const input = createReadStream(join(this.dir, 'rows.ndjson'));
    const lines = createInterface({ input, crlfDelay: Infinity });
    let chunk: CsvRecipient[] = [];
    try {
      for await (const line of lines) {
        const [row, email, name, timeZone, phone, maybeRepeat] = JSON.parse(line) as [
          number,
          string,
          string | null,
          string | null,
          string | null,
          1?,
        ];
        chunk.push({
          row,
          email,
          name,
          timeZone,
          ...(phone ? { phone } : {}),
          ...(maybeRepeat ? { maybeRepeat: true as const } : {}),
        });
        if (chunk.length >= size) {
          yield chunk;
          chunk = [];
        }
      }
    } finally {
      lines.close();
      input.destroy();
    }
    if (chunk.length > 0) yield chunk;
  }

  async remove(): Promise<void> {
    this.out.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}
