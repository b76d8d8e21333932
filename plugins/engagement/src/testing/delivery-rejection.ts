import { DeliveryError } from '../channels/delivery-error.js';

/** Test support: the DeliveryError a send rejected with (fails the test if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}
