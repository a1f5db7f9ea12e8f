/** The current instant; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}
