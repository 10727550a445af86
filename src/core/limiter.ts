// A sliding-window rate limiter: at most `limit` requests start in any `intervalMs` window. Callers over the
// limit wait in line (first come, first served) instead of failing. Provider-neutral; a provider that must
// stay under a documented quota creates one and hands it to the transport.
import type { Limiter } from "./transport.js";

export interface SlidingWindowOptions {
  /** How many requests may start within one window. */
  limit: number;
  /** The window's length in milliseconds. */
  intervalMs: number;
  /** Clock in ms. Default: `performance.now` (monotonic, so wall-clock jumps can not open or stall the window). */
  now?: () => number;
  /** Timer functions, injectable so tests can run a fake clock. Default: setTimeout / clearTimeout. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface SlidingWindowLimiter extends Limiter {
  readonly limit: number;
  readonly intervalMs: number;
  /** How many callers are waiting for a slot. */
  readonly pending: number;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export function createSlidingWindowLimiter(options: SlidingWindowOptions): SlidingWindowLimiter {
  const { limit, intervalMs } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError("intervalMs must be a positive number");
  const now = options.now ?? (() => performance.now());
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));

  // Start times of the requests inside the window, oldest first; `head` skips the expired ones cheaply.
  const starts: number[] = [];
  let head = 0;
  const queue: Waiter[] = [];
  // A timer exists only while someone waits, so an idle limiter holds nothing that keeps a process alive.
  let timer: { handle: unknown } | undefined;

  const inWindow = () => starts.length - head;

  function prune(t: number): void {
    while (head < starts.length && starts[head]! <= t - intervalMs) head++;
    if (head > 64 && head * 2 > starts.length) {
      starts.splice(0, head);
      head = 0;
    }
  }

  function release(waiter: Waiter, t: number): void {
    starts.push(t);
    waiter.signal?.removeEventListener("abort", waiter.onAbort!);
    waiter.resolve();
  }

  function drain(): void {
    timer = undefined;
    const t = now();
    prune(t);
    while (queue.length > 0 && inWindow() < limit) release(queue.shift()!, t);
    schedule(t);
  }

  function schedule(t: number): void {
    if (queue.length === 0 || timer) return;
    // The oldest start leaves the window at starts[head] + intervalMs; capped in case a custom clock stepped back.
    const wait = Math.min(intervalMs, Math.max(0, starts[head]! + intervalMs - t));
    timer = { handle: setTimer(drain, wait) };
  }

  function cancel(waiter: Waiter, reason: unknown): void {
    const index = queue.indexOf(waiter);
    if (index === -1) return;
    queue.splice(index, 1);
    if (queue.length === 0 && timer) {
      clearTimer(timer.handle);
      timer = undefined;
    }
    waiter.reject(reason);
  }

  return signalOptional({
    limit,
    intervalMs,
    get pending() {
      return queue.length;
    },
    acquire(signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const t = now();
      if (queue.length === 0) {
        prune(t);
        if (inWindow() < limit) {
          starts.push(t);
          return Promise.resolve();
        }
      }
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
        if (signal) {
          waiter.onAbort = () => cancel(waiter, signal.reason);
          signal.addEventListener("abort", waiter.onAbort, { once: true });
        }
        queue.push(waiter);
        schedule(t);
      });
    },
  });
}

/**
 * Marks one of streamspec's own limiters as taking a call without a signal (Limiter.signalOptional). The mark is
 * not enumerable, so an app's limiter made by spreading one of ours (`{ ...limiter, acquire }`) does not inherit it
 * and its `acquire` is always handed a signal, as the README promises.
 */
export function signalOptional<T extends object>(limiter: T): T & { readonly signalOptional: true } {
  return Object.defineProperty(limiter, "signalOptional", { value: true }) as T & { readonly signalOptional: true };
}
