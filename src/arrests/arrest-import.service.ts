import { Injectable } from '@nestjs/common';
import { CsvError, parse } from 'csv-parse';
import { Readable, Transform } from 'node:stream';
import { DomainError, ValidationFailedError } from '../common/errors/domain-errors';
import type { RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import {
  csvColumnOf,
  csvRecordToArrest,
  MAX_CSV_FIELDS,
  MAX_CSV_RECORD_BYTES,
  readHeader,
} from './arrest-csv';
import { ArrestRecorder, RowError } from './arrest-recorder.service';
import type { ArrestBatchResultView } from './dto/arrest.dto';

/** Rows one import may hold (the JSON batch takes 2,000). */
export const IMPORT_MAX_ROWS = 50_000;
/** Bytes one import may send; the upload spool refuses more, and the stream below checks again. */
export const IMPORT_MAX_BYTES = 64 * 1024 * 1024;

class ImportTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'payload-too-large';
  readonly title = 'Import too large';
}

/**
 * Counts bytes as they pass and fails the stream beyond the limit, or at the first byte that is not
 * UTF-8 (a Latin-1 export would otherwise be stored with U+FFFD in place of its letters).
 */
function byteLimit(limit: number): Transform {
  let seen = 0;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const notUtf8 = () =>
    new ValidationFailedError(
      [{ row: 0, field: 'csv', message: 'the file must be UTF-8 text' } as RowError],
      'The file is not readable CSV.',
    );
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit)
        return callback(new ImportTooLargeError(`An import may hold at most ${limit} bytes.`));
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        return callback(notUtf8());
      }
      callback(null, chunk);
    },
    flush(callback) {
      try {
        utf8.decode();
      } catch {
        return callback(notUtf8());
      }
      callback();
    },
  });
}

/**
 * `POST /arrests/import` (text/csv): the file (already read whole by the controller, so no slow client
 * holds this transaction open) is parsed row by row, and each row goes to an `ArrestBatch` that
 * validates it and writes validated rows in chunks. Any bad row: nothing is recorded and every bad row
 * is reported.
 */
@Injectable()
export class ArrestImportService {
  constructor(
    private readonly tx: TransactionService,
    private readonly recorder: ArrestRecorder,
  ) {}

  importCsv(
    ctx: RequestContext,
    body: Readable,
    options: { allowDuplicates: boolean } = { allowDuplicates: false },
  ): Promise<ArrestBatchResultView> {
    let started = false;
    return this.tx.run(async () => {
      // The body can be read once: a retried transaction cannot re-read it.
      if (started) throw new Error('An import transaction cannot be retried');
      started = true;
      const batch = await this.recorder.begin(ctx, true, csvColumnOf, options);
      const limit = byteLimit(IMPORT_MAX_BYTES);
      let columns: ReturnType<typeof readHeader> | null = null;
      const columnAt = (index: number) =>
        columns && 'columns' in columns ? (columns.columns[index] ?? 'row') : 'row';
      const parser = parse({
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
        info: true,
        max_record_size: MAX_CSV_RECORD_BYTES,
        // Called for every field as it ends: a row stops at its 101st field, not at its end.
        cast: (value: string, context: { index: number; lines: number }) => {
          if (context.index >= MAX_CSV_FIELDS)
            throw new ValidationFailedError(
              [
                {
                  row: context.lines,
                  field: 'row',
                  message: `the row has more than ${MAX_CSV_FIELDS} fields`,
                } as RowError,
              ],
              'The file is not an arrest import.',
            );
          return value;
        },
      });
      body.on('error', (e) => limit.destroy(e));
      limit.on('error', (e) => parser.destroy(e));
      body.pipe(limit).pipe(parser);
      try {
        for await (const { record, info } of parser as AsyncIterable<{
          record: string[];
          info: { lines: number };
        }>) {
          if (!columns) {
            columns = readHeader(record);
            if ('errors' in columns)
              throw new ValidationFailedError(
                columns.errors.map((e): RowError => ({ row: 1, ...e })),
                'The header row is not an arrest import header.' +
                  (columns.total > columns.errors.length
                    ? ` ${columns.total} problems; the first ${columns.errors.length} are listed.`
                    : ''),
              );
            continue;
          }
          if (!('columns' in columns)) continue;
          if (batch.rows >= IMPORT_MAX_ROWS)
            throw new ImportTooLargeError(`An import may hold at most ${IMPORT_MAX_ROWS} rows.`);
          const { plain, errors } = csvRecordToArrest(columns.columns, record);
          await batch.add(info.lines, plain, errors);
        }
      } catch (error) {
        if (error instanceof DomainError) throw error;
        // Every refusal of csv-parse is a CsvError (its codes mostly start with `CSV_`, but not
        // `INVALID_OPENING_QUOTE`: a quote inside an unquoted cell, `Block "C"`); anything else is ours.
        if (!(error instanceof CsvError)) throw error;
        const csv = error as CsvError & { lines?: number; column?: number };
        if (csv.code === 'CSV_MAX_RECORD_SIZE') {
          const tooLong: RowError = {
            row: csv.lines ?? 0,
            field: columnAt(csv.column ?? -1),
            message: `the cell is too long: a row may hold at most ${MAX_CSV_RECORD_BYTES} bytes`,
          };
          throw new ValidationFailedError([tooLong], 'The file is not an arrest import.');
        }
        const unreadable: RowError = {
          row: csv.lines ?? 0,
          field: 'csv',
          message: csv.message ?? 'unreadable CSV',
        };
        throw new ValidationFailedError([unreadable], 'The file is not readable CSV.');
      } finally {
        body.unpipe();
        body.resume();
      }
      return batch.finish();
    });
  }
}
