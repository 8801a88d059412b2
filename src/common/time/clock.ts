import { Injectable } from '@nestjs/common';

/** The current time, injectable so tests can move it (a 12-hour session limit is not waited for). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Today's date in UTC (`YYYY-MM-DD`), as the rules of frameworks, shares and expiries compare days. */
  today(): string {
    return this.now().toISOString().slice(0, 10);
  }
}
