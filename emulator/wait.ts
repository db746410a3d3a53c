// Waiting for the bot without sleeping: poll a condition every few milliseconds.

const POLL_MS = 5;

/**
 * Resolves with the first value of `check` (awaited) that is not undefined, null or false. Throws from `check`
 * count as "not yet"; on timeout the rejection names the condition (`what`, worked out then when it is
 * a function, so it can show the state at the timeout) and the last such error.
 */
export function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 5000,
  what: string | (() => string) = describe(check),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise<T>((resolve, reject) => {
    let lastError: unknown;
    const attempt = async () => {
      try {
        // A check may read the store, which is asynchronous: its answer is awaited.
        const value = await check();
        if (value !== undefined && value !== null && value !== false) return resolve(value);
      } catch (error) {
        lastError = error;
      }
      if (Date.now() >= deadline) {
        const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
        const condition = typeof what === 'function' ? what() : what;
        return reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${condition}${cause}`));
      }
      setTimeout(() => void attempt(), POLL_MS);
    };
    void attempt();
  });
}

function describe(check: () => unknown): string {
  const source = String(check).replace(/\s+/g, ' ').trim();
  return source.length > 160 ? `${source.slice(0, 157)}...` : source;
}
