// Chapter 12: four trains of length 200 entering a square of four crossings. This is
// the geometry and a pure step simulation; a threaded version uses the same step
// plans (stepPlan) and only adds real locks. Positions are integers along each
// train's own straight track. A train occupies (back, front] with back = front − length:
// it must hold a crossing before its front moves onto it, and releases it in the step
// its back reaches it.
import { checkInt, CourseInputError } from "./errors";

export type TrainStrategy = "none" | "hierarchy" | "arbitrator";
export const TRAIN_STRATEGIES: readonly TrainStrategy[] = ["none", "hierarchy", "arbitrator"];

/** x and y in screen coordinates (y grows downward): a point, or a track's unit step. */
export interface ScreenXY {
  x: number;
  y: number;
}

export interface Crossing extends ScreenXY {
  id: number;
}

export interface Track {
  train: number;
  /** Where position 0 lies, and the unit direction of travel (screen coordinates, y down). */
  start: ScreenXY;
  dir: ScreenXY;
  /** Crossings on this track, in travel order, with their position along the track. */
  crossings: { crossing: number; at: number }[];
}

export interface TrainLayout {
  trainLength: number;
  /** Where each track ends on screen (tracks run from 0 to here; the square sits in the middle). */
  trackEnd: number;
  /** A train is done when its front reaches this: trackEnd + trainLength, its back off the track. */
  trackLength: number;
  crossings: Crossing[];
  tracks: Track[];
}

/**
 * The course's square: crossings C0 (top-left), C1 (top-right), C2 (bottom-right),
 * C3 (bottom-left), `side` apart. Train 0 runs east through C0 then C1, train 1 south
 * through C1, C2, train 2 west through C2, C3, train 3 north through C3, C0. Each
 * crossing is `approach` from the start of both tracks through it. A train longer
 * than `side` holds its first crossing while it needs its second: the cycle.
 */
export function trainLayout(opts: { trainLength?: number; side?: number; approach?: number } = {}): TrainLayout {
  const L = checkInt("trainLength", opts.trainLength ?? 200, 1, 100_000);
  const side = checkInt("side", opts.side ?? 100, 1, 100_000);
  const a = checkInt("approach", opts.approach ?? 300, 1, 100_000);
  const far = 2 * a + side; // track length: both ends equally far from the square
  const crossings: Crossing[] = [
    { id: 0, x: a, y: a },
    { id: 1, x: a + side, y: a },
    { id: 2, x: a + side, y: a + side },
    { id: 3, x: a, y: a + side },
  ];
  const tracks: Track[] = [
    {
      train: 0,
      start: { x: 0, y: a },
      dir: { x: 1, y: 0 },
      crossings: [
        { crossing: 0, at: a },
        { crossing: 1, at: a + side },
      ],
    },
    {
      train: 1,
      start: { x: a + side, y: 0 },
      dir: { x: 0, y: 1 },
      crossings: [
        { crossing: 1, at: a },
        { crossing: 2, at: a + side },
      ],
    },
    {
      train: 2,
      start: { x: far, y: a + side },
      dir: { x: -1, y: 0 },
      crossings: [
        { crossing: 2, at: a },
        { crossing: 3, at: a + side },
      ],
    },
    {
      train: 3,
      start: { x: a, y: far },
      dir: { x: 0, y: -1 },
      crossings: [
        { crossing: 3, at: a },
        { crossing: 0, at: a + side },
      ],
    },
  ];
  return { trainLength: L, trackEnd: far, trackLength: far + L, crossings, tracks };
}

/** The screen point of position `s` along train `train`'s track. */
export function trackPoint(layout: TrainLayout, train: number, s: number): ScreenXY {
  const t = layout.tracks[train];
  return { x: t.start.x + t.dir.x * s, y: t.start.y + t.dir.y * s };
}

/**
 * The part of train `train`'s body that is on its track, as two screen points (back
 * end, front end), or null while the train is wholly before the start or past trackEnd.
 * Positions below 0 are before the track starts: a train begins with front 0, off screen.
 */
export function trainSegment(layout: TrainLayout, train: number, front: number): { from: ScreenXY; to: ScreenXY } | null {
  const lo = Math.max(0, front - layout.trainLength),
    hi = Math.min(layout.trackEnd, front);
  if (hi <= lo) return null;
  return { from: trackPoint(layout, train, lo), to: trackPoint(layout, train, hi) };
}

function trackOf(layout: TrainLayout, train: number): Track {
  const t = layout.tracks[train];
  if (!t) throw new CourseInputError(`train must be 0..${layout.tracks.length - 1}, got ${train}`);
  return t;
}

/**
 * What train `train` must do to move its front to `front`:
 * `acquire`: crossings to take BEFORE moving, in order (empty when none). With "none",
 * the crossing the front reaches; with "hierarchy" and "arbitrator", the whole
 * reservation, every crossing within [front, front + length] not already in `held`,
 * sorted by crossing id (the global order; the arbitrator takes them all at once).
 * `release`: crossings to let go AFTER moving (the back has reached them).
 */
export function stepPlan(
  layout: TrainLayout,
  train: number,
  front: number,
  strategy: TrainStrategy,
  held: readonly number[] = [],
): { acquire: number[]; release: number[] } {
  const track = trackOf(layout, train);
  const reached = track.crossings.filter((c) => c.at === front);
  let acquire: number[] = [];
  if (reached.length) {
    if (strategy === "none") acquire = reached.map((c) => c.crossing).filter((c) => !held.includes(c));
    else {
      acquire = track.crossings
        .filter((c) => c.at >= front && c.at <= front + layout.trainLength && !held.includes(c.crossing))
        .map((c) => c.crossing)
        .sort((x, y) => x - y);
    }
  }
  const release = track.crossings.filter((c) => c.at === front - layout.trainLength).map((c) => c.crossing);
  return { acquire, release };
}

export interface TrainFrame {
  t: number;
  trains: { id: number; front: number; back: number }[];
  crossings: { id: number; owner: number | null }[];
}

export interface TrainRun {
  strategy: TrainStrategy;
  deadlocked: boolean;
  /** Trains in the wait-for cycle (each waits for a crossing the next one holds), when deadlocked. */
  cycle: number[];
  ticks: number;
  /** Ticks each train spent blocked. */
  waited: number[];
  frames: TrainFrame[];
}

/**
 * A deterministic lock-step simulation: each tick, every unfinished train in turn
 * tries to move one unit (after its start delay). Blocking is modelled, not real: a
 * train that cannot get its crossings stays put that tick (with "hierarchy" it keeps
 * those it got, in order, as a thread blocked on the next lock would). A tick in which
 * nothing changes with trains unfinished is a deadlock, and the run stops there.
 */
export function simulateTrains(
  strategy: TrainStrategy,
  opts: { layout?: TrainLayout; delays?: number[]; frameEvery?: number; maxTicks?: number } = {},
): TrainRun {
  if (!TRAIN_STRATEGIES.includes(strategy)) {
    throw new CourseInputError(`strategy must be one of ${TRAIN_STRATEGIES.join(", ")}, got ${JSON.stringify(strategy)}`);
  }
  const layout = opts.layout ?? trainLayout();
  const n = layout.tracks.length;
  const delays = opts.delays ?? new Array(n).fill(0);
  if (delays.length !== n || delays.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new CourseInputError(`delays must be ${n} integers >= 0 (ticks before each train starts), got ${JSON.stringify(delays)}`);
  }
  const frameEvery = checkInt("frameEvery", opts.frameEvery ?? 5, 1);
  const maxTicks = checkInt("maxTicks", opts.maxTicks ?? 1_000_000, 1);
  const front = new Array(n).fill(0);
  const owner: (number | null)[] = layout.crossings.map(() => null);
  const held: number[][] = layout.tracks.map(() => []);
  const waitingFor: (number | null)[] = new Array(n).fill(null);
  const waited = new Array(n).fill(0);
  const frames: TrainFrame[] = [];
  const snap = (t: number) =>
    frames.push({
      t,
      trains: front.map((f, id) => ({ id, front: f, back: f - layout.trainLength })),
      crossings: owner.map((o, id) => ({ id, owner: o })),
    });
  snap(0);
  let t = 0;
  while (t < maxTicks) {
    t++;
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (front[i] >= layout.trackLength || t <= delays[i]) continue;
      const plan = stepPlan(layout, i, front[i] + 1, strategy, held[i]);
      let blockedOn: number | null = null;
      if (strategy === "arbitrator") {
        blockedOn = plan.acquire.find((c) => owner[c] !== null) ?? null;
        if (blockedOn === null)
          for (const c of plan.acquire) {
            owner[c] = i;
            held[i].push(c);
            changed = true;
          }
      } else {
        for (const c of plan.acquire) {
          if (owner[c] !== null) {
            blockedOn = c;
            break;
          }
          owner[c] = i;
          held[i].push(c);
          changed = true;
        }
      }
      waitingFor[i] = blockedOn;
      if (blockedOn !== null) {
        waited[i]++;
        continue;
      }
      front[i]++;
      changed = true;
      for (const c of plan.release) {
        owner[c] = null;
        held[i] = held[i].filter((h) => h !== c);
      }
    }
    const done = front.every((f) => f >= layout.trackLength);
    if (done || !changed || t % frameEvery === 0) snap(t);
    if (done) return { strategy, deadlocked: false, cycle: [], ticks: t, waited, frames };
    if (!changed) return { strategy, deadlocked: true, cycle: findCycle(waitingFor, owner), ticks: t, waited, frames };
  }
  throw new Error(`simulateTrains: no end after maxTicks = ${maxTicks}; raise maxTicks`);
}

/** Follows train → crossing it waits for → that crossing's owner, until a train repeats. */
function findCycle(waitingFor: (number | null)[], owner: (number | null)[]): number[] {
  for (let s = 0; s < waitingFor.length; s++) {
    const path: number[] = [];
    let cur: number | null = s;
    while (cur !== null && !path.includes(cur)) {
      path.push(cur);
      const c: number | null = waitingFor[cur];
      cur = c === null ? null : owner[c];
    }
    if (cur !== null) return path.slice(path.indexOf(cur));
  }
  return [];
}

/**
 * Every (frame, crossing) at which two or more trains' bodies cover the crossing at
 * once (a crash), or a train covers a crossing it does not own (when owners are known).
 */
export function sharedCrossings(frames: readonly TrainFrame[], layout: TrainLayout = trainLayout()): { t: number; crossing: number; trains: number[] }[] {
  const bad: { t: number; crossing: number; trains: number[] }[] = [];
  for (const f of frames) {
    for (const c of layout.crossings) {
      const on = f.trains.filter((tr) => layout.tracks[tr.id].crossings.some((x) => x.crossing === c.id && tr.back < x.at && x.at <= tr.front));
      const ownerOf = f.crossings.find((x) => x.id === c.id)?.owner;
      if (on.length > 1 || (on.length === 1 && ownerOf !== undefined && ownerOf !== on[0].id)) {
        bad.push({ t: f.t, crossing: c.id, trains: on.map((tr) => tr.id) });
      }
    }
  }
  return bad;
}

/** True when no two trains ever cover one crossing and every covered crossing is held by its train. */
export function noSharedCrossing(frames: readonly TrainFrame[], layout: TrainLayout = trainLayout()): boolean {
  return sharedCrossings(frames, layout).length === 0;
}
