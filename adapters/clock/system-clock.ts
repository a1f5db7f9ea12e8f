import type { Clock } from '../../core/shared/index.js';

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}
