// Errors the primitives raise. Names follow Python's threading/queue where the
// course does (BrokenBarrierError); the rest say plainly what went wrong.

/** A barrier was broken (abort(), reset() or a wait that timed out) while, or before, this thread waited. */
export class BrokenBarrierError extends Error {
  override name = "BrokenBarrierError";
}

/** Releasing something this thread does not hold (unlock of a mutex it did not lock, notify without the lock). */
export class NotOwnerError extends Error {
  override name = "NotOwnerError";
}

/** A queue/channel put or get that did not complete within its timeout. */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** put/send on a queue or channel after close(). */
export class ClosedError extends Error {
  override name = "ClosedError";
}
