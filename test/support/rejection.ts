import { expect } from 'chai';
import { DomainError } from '../../core/shared/index.js';

/** The DomainError `promise` rejects with (failing the test when it resolves or rejects with something else). */
export async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a DomainError').to.be.instanceOf(DomainError);
  return error as DomainError;
}

/** The code of the DomainError `promise` rejects with. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  return (await rejection(promise)).code;
}

/** The error of class `type` that `promise` rejects with (failing the test otherwise). */
export async function rejectionOf<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a ${type.name}`).to.be.instanceOf(type);
  return error as T;
}
