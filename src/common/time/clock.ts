import { Injectable } from '@nestjs/common';

/** The current time, injectable so tests can move it (a 12-hour session limit is not waited for). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
