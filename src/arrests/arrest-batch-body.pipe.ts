import { Injectable, PipeTransform } from '@nestjs/common';
import { createValidationPipe } from '../common/http/validation';
import { ArrestBatchDto } from './dto/arrest.dto';

/**
 * What the batch handler takes: an `ArrestBatchDto` checked by `ArrestBatchBodyPipe`. Declared as an
 * interface so that the global ValidationPipe, which sees no class here, leaves the body to that pipe.
 */
export interface ArrestBatchBody {
  arrests: object[];
}

const envelopePipe = createValidationPipe();

const isPlainRecord = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `POST /arrests/batch`: the global pipe's checks on the envelope (`arrests`: 1 to 2,000 objects, no
 * other field), without its deep copy of every arrest through class-transformer (2,000 arrests of 30
 * names held the event loop for a second before the first row was looked at). Each arrest is
 * transformed and validated on its own by `ArrestBatch.add`, which lets other requests in between.
 * The pipe checks a stand-in whose arrests are empty objects (an arrest that is not an object stays as
 * it is, so it is refused in the same words), then hands on the arrests as they came.
 */
@Injectable()
export class ArrestBatchBodyPipe implements PipeTransform<unknown, Promise<ArrestBatchBody>> {
  async transform(value: unknown): Promise<ArrestBatchBody> {
    const arrests = isPlainRecord(value) ? (value as { arrests?: unknown }).arrests : undefined;
    const standIn =
      Array.isArray(arrests) && isPlainRecord(value)
        ? { ...(value as object), arrests: arrests.map((a) => (isPlainRecord(a) ? {} : a)) }
        : value;
    const dto = (await envelopePipe.transform(standIn, {
      type: 'body',
      metatype: ArrestBatchDto,
    })) as ArrestBatchDto;
    if (Array.isArray(arrests)) dto.arrests = arrests as object[];
    return dto;
  }
}
