// What every group gets from main.
import type { Machine } from "../types";

export interface GroupContext {
  /** Tiny sizes, seconds in all; numbers are not meaningful. */
  smoke: boolean;
  /** Worker counts for the sweep (null: no sweep asked). */
  workers: number[] | null;
  out: string;
  machine: Machine;
  log: (msg: string) => void;
}

/** Warm-up and repetition counts for a figure, smaller in smoke mode. */
export function reps(ctx: GroupContext, full: number, warmup = 2): { warmup: number; reps: number } {
  return ctx.smoke ? { warmup: 0, reps: 2 } : { warmup, reps: full };
}
