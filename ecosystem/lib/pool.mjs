// Runs async jobs with at most `limit` at a time; the machine has two cores and
// most consumers are a CPU-bound child process, so more would only slow each.

/**
 * @template T
 * @param {number} limit
 * @returns {(job: () => Promise<T>) => Promise<T>}
 */
export function createPool(limit) {
  let running = 0;
  const waiting = [];
  const next = () => {
    if (running >= limit || waiting.length === 0) return;
    running++;
    const { job, resolve, reject } = waiting.shift();
    job()
      .then(resolve, reject)
      .finally(() => {
        running--;
        next();
      });
  };
  return (job) =>
    new Promise((resolve, reject) => {
      waiting.push({ job, resolve, reject });
      next();
    });
}
