/** How long /health waits for each dependency before calling it down. */
export const CHECK_TIMEOUT_MS = 1500;

/** `promise`, or a rejection with "timed out" once CHECK_TIMEOUT_MS has passed. */
export function withinCheckTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
