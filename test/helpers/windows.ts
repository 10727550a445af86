// Counting events in time windows, for rate-limit tests.

/** The most event times within any window of `ms` (a sliding count over the sorted times). */
export function busiestWindow(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
