// The sliding-window limiter (src/core/limiter.ts) on a fake clock, with Polyv's numbers from the spec.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { info } from "../../generated/polyv.operations.js";
import { createSlidingWindowLimiter } from "../../src/core/limiter.js";

/** A clock and timer queue that only move when told to. */
function fakeClock(start = 1_000) {
  let t = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => {
      timers.set(++nextId, { at: t + ms, fn });
      return nextId;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    timers,
    /** Moves the clock without firing any timer: the moment between the window moving and the timer running. */
    move(ms: number) {
      t += ms;
    },
    async advance(ms: number) {
      t += ms;
      for (;;) {
        const due = [...timers].filter(([, v]) => v.at <= t).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        due[1].fn();
      }
      await flush();
    },
  };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

function track(p: Promise<void>) {
  const state = { settled: false, error: undefined as unknown };
  p.then(
    () => (state.settled = true),
    (e) => {
      state.settled = true;
      state.error = e;
    },
  );
  return state;
}

describe("createSlidingWindowLimiter", () => {
  const { limit, intervalMs } = info.rateLimit;

  it("uses Polyv's numbers from the spec", () => {
    expect({ limit, intervalMs }).toEqual({ limit: 1500, intervalMs: 10_000 });
  });

  it(`lets ${limit} requests start at once and makes the next wait until the window moves`, async () => {
    const clock = fakeClock();
    const limiter = createSlidingWindowLimiter({ limit, intervalMs, ...clock });
    const first = Array.from({ length: limit }, () => track(limiter.acquire()));
    await flush();
    expect(first.every((s) => s.settled && s.error === undefined)).toBe(true);
    expect(clock.timers.size).toBe(0);

    const next = track(limiter.acquire());
    const after = track(limiter.acquire());
    await flush();
    expect(next.settled).toBe(false);
    expect(limiter.pending).toBe(2);
    expect(clock.timers.size).toBe(1);

    await clock.advance(intervalMs - 1);
    expect(next.settled).toBe(false);
    await clock.advance(1);
    expect(next.settled).toBe(true);
    expect(after.settled).toBe(true); // every first-second slot freed at the same instant
    expect(limiter.pending).toBe(0);
    expect(clock.timers.size).toBe(0); // idle again: nothing scheduled
  });

  it("slides: a slot frees exactly one interval after the request that used it started", async () => {
    const clock = fakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 2, intervalMs: 1000, ...clock });
    await limiter.acquire();
    await clock.advance(600);
    await limiter.acquire();
    const third = track(limiter.acquire());
    const fourth = track(limiter.acquire());
    await clock.advance(399);
    expect(third.settled).toBe(false);
    await clock.advance(1); // t = 1000 after the first start
    expect(third.settled).toBe(true);
    expect(fourth.settled).toBe(false);
    await clock.advance(599);
    expect(fourth.settled).toBe(false);
    await clock.advance(1); // t = 1000 after the second start
    expect(fourth.settled).toBe(true);
    expect(clock.timers.size).toBe(0);
  });

  it("serves waiters first come, first served, and newcomers do not jump the line", async () => {
    const clock = fakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, intervalMs: 100, ...clock });
    const order: number[] = [];
    await limiter.acquire();
    const a = limiter.acquire().then(() => order.push(1));
    const b = limiter.acquire().then(() => order.push(2));
    await clock.advance(100);
    const c = limiter.acquire().then(() => order.push(3));
    await clock.advance(100);
    await clock.advance(100);
    await Promise.all([a, b, c]);
    expect(order).toEqual([1, 2, 3]);
  });

  it("a newcomer does not take a freed slot while others wait, even before the limiter's timer has run", async () => {
    const clock = fakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, intervalMs: 100, ...clock });
    await limiter.acquire();
    const waiting = track(limiter.acquire());
    clock.move(100); // the slot is free now, but the timer that hands it to the queue has not fired yet
    const newcomer = track(limiter.acquire());
    await flush();
    expect(newcomer.settled).toBe(false);
    expect(waiting.settled).toBe(false);
    expect(limiter.pending).toBe(2);
    await clock.advance(0); // the timer fires: the slot goes to the caller who waited
    expect(waiting).toEqual({ settled: true, error: undefined });
    expect(newcomer.settled).toBe(false);
    await clock.advance(100);
    expect(newcomer).toEqual({ settled: true, error: undefined });
  });

  it("removes its abort listener from a caller's signal when the caller is released from the queue", async () => {
    const clock = fakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, intervalMs: 100, ...clock });
    const { signal } = new AbortController(); // long-lived: shared by every call
    await limiter.acquire(signal);
    expect(getEventListeners(signal, "abort")).toHaveLength(0); // a free slot adds none
    const queued = Array.from({ length: 3 }, () => track(limiter.acquire(signal)));
    expect(getEventListeners(signal, "abort")).toHaveLength(3);
    await clock.advance(100);
    expect(queued.map((q) => q.settled)).toEqual([true, false, false]);
    expect(getEventListeners(signal, "abort")).toHaveLength(2);
    await clock.advance(100);
    await clock.advance(100);
    expect(queued.every((q) => q.settled && q.error === undefined)).toBe(true);
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("rejects a queued caller whose signal aborts, and clears its timer when nobody else waits", async () => {
    const clock = fakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, intervalMs: 1000, ...clock });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    expect(clock.timers.size).toBe(1);
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(limiter.pending).toBe(0);
    expect(clock.timers.size).toBe(0);
    // The aborted caller took no slot: the next one gets the slot when the window moves.
    const next = track(limiter.acquire());
    await clock.advance(1000);
    expect(next).toEqual({ settled: true, error: undefined });
  });

  it("rejects at once when the signal is already aborted, and an abort after release changes nothing", async () => {
    const clock = fakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, intervalMs: 1000, ...clock });
    await expect(limiter.acquire(AbortSignal.abort(new Error("early")))).rejects.toThrow("early");
    const controller = new AbortController();
    await limiter.acquire(controller.signal);
    controller.abort();
    expect(limiter.pending).toBe(0);
  });

  it("refuses nonsense numbers", () => {
    expect(() => createSlidingWindowLimiter({ limit: 0, intervalMs: 10 })).toThrow(RangeError);
    expect(() => createSlidingWindowLimiter({ limit: 1.5, intervalMs: 10 })).toThrow(RangeError);
    expect(() => createSlidingWindowLimiter({ limit: 1, intervalMs: 0 })).toThrow(RangeError);
  });

  it("works with the real timers by default and leaves none behind once idle", async () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timeouts();
    const limiter = createSlidingWindowLimiter({ limit: 1, intervalMs: 60_000 });
    await limiter.acquire();
    expect(timeouts()).toBe(before);
    const controller = new AbortController();
    const queued = limiter.acquire(controller.signal);
    expect(timeouts()).toBe(before + 1);
    controller.abort();
    await expect(queued).rejects.toMatchObject({ name: "AbortError" });
    expect(limiter.pending).toBe(0);
    expect(timeouts()).toBe(before);
  });
});

describe("createSlidingWindowLimiter: settings and cancellation", () => {
  it("refuses a limit or window it can not keep, saying which", () => {
    expect(() => createSlidingWindowLimiter({ limit: 0, intervalMs: 1000 })).toThrow(new RangeError("limit must be a positive integer"));
    expect(() => createSlidingWindowLimiter({ limit: 1, intervalMs: 0 })).toThrow(new RangeError("intervalMs must be a positive number"));
  });

  it("keeps the window on its default clock and timers too: a second caller waits, and gets the slot once the window moves", async () => {
    const limiter = createSlidingWindowLimiter({ limit: 1, intervalMs: 20 });
    await limiter.acquire();
    const second = limiter.acquire();
    const state = track(second);
    await flush();
    expect([state.settled, limiter.pending]).toEqual([false, 1]);
    await second; // resolves after the window's 20 ms on the real clock (no assertion on how long it took)
    expect(limiter.pending).toBe(0);
  });

  it("a caller who gives up leaves the others queued with their timer: the next one still gets the freed slot", async () => {
    const clock = fakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, intervalMs: 1000, ...clock });
    await limiter.acquire();
    const abort = new AbortController();
    const first = track(limiter.acquire(abort.signal));
    const second = track(limiter.acquire());
    abort.abort(new Error("gave up"));
    await flush();
    expect(first.error).toEqual(new Error("gave up"));
    expect(clock.timers.size).toBe(1);
    await clock.advance(1000);
    expect(second).toEqual({ settled: true, error: undefined });
  });
});
