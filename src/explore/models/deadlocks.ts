// Chapter 12 as models: dining philosophers and the four trains at four
// crossings, with no strategy (deadlock) and with the two fixes (resource
// hierarchy, arbitrator). The trains' steps come from the course's own rule
// (src/course/trains.ts stepPlan): only the positions where a train takes or
// gives back crossings are steps, the driving in between is local.
import { checkInt } from "../../course/errors";
import { forkOrder } from "../../course/deadlock";
import { stepPlan, trainLayout, TRAIN_STRATEGIES, type TrainLayout, type TrainStrategy } from "../../course/trains";
import { CourseInputError } from "../../course/errors";
import { model, sim, type Model, type Step } from "../model";

// biome-ignore lint/suspicious/noExplicitAny: a yield's result is whatever its step gives (a number for read, a boolean for tryLock, …)
type Steps = Generator<Step, any, any>;

function strategyOf(fn: string, s: unknown): TrainStrategy {
  if (!(TRAIN_STRATEGIES as readonly unknown[]).includes(s))
    throw new CourseInputError(`${fn}: strategy must be one of ${TRAIN_STRATEGIES.join(", ")}, got ${JSON.stringify(s)}`);
  return s as TrainStrategy;
}

/**
 * n philosophers, n forks (Mutexes); philosopher i uses forks i and (i+1) mod n
 * and eats `meals` times. "none": left fork, then right (each can hold one and
 * wait for the next: deadlock); "hierarchy": the lower-numbered fork first
 * (course forkOrder); "arbitrator": a waiter (one Condition) hands out both forks
 * at once or none: `while (taken[l] || taken[r]) wait()`, put back with notifyAll.
 * Outcome: "all ate", or "deadlock".
 */
export function philosophers(opts: { n?: number; strategy?: TrainStrategy; meals?: number } = {}): Model {
  const n = checkInt("n", opts.n ?? 5, 2, 8);
  const strategy = strategyOf("philosophers", opts.strategy ?? "none");
  const meals = checkInt("meals", opts.meals ?? 1, 1, 3);
  const orders = Array.from({ length: n }, (_, i) => forkOrder(i, n, strategy));
  return model({
    name: `${n} philosophers, ${strategy === "none" ? "no strategy" : strategy}${meals > 1 ? `, ${meals} meals` : ""}`,
    shared: strategy === "arbitrator" ? { taken: new Array(n).fill(0), waiter: sim.condition() } : { forks: Array.from({ length: n }, () => sim.mutex()) },
    params: { orders, strategy, meals },
    threads: function* philosopher({ id, forks, taken, waiter, orders, strategy, meals }): Steps {
      const [first, second] = orders[id];
      for (let m = 0; m < meals; m++) {
        if (strategy === "arbitrator") {
          yield waiter.acquire();
          while ((yield taken[first].read()) || (yield taken[second].read())) yield waiter.wait();
          yield taken[first].write(1);
          yield taken[second].write(1);
          yield waiter.release();
          // eat
          yield waiter.acquire();
          yield taken[first].write(0);
          yield taken[second].write(0);
          yield waiter.notifyAll();
          yield waiter.release();
        } else {
          yield forks[first].lock();
          yield forks[second].lock();
          // eat
          yield forks[second].unlock();
          yield forks[first].unlock();
        }
      }
      return meals;
    },
    n,
    outcome: () => "all ate",
    grade: { "all ate": "expected" },
  });
}

/** One train's crossing actions in travel order, from the course's stepPlan: take these, or give these back. */
export function trainActions(layout: TrainLayout, train: number, strategy: TrainStrategy): { take: number[]; give: number[] }[] {
  const held: number[] = [];
  const out: { take: number[]; give: number[] }[] = [];
  for (let f = 1; f <= layout.trackLength; f++) {
    const plan = stepPlan(layout, train, f, strategy, held);
    if (plan.acquire.length) {
      out.push({ take: plan.acquire, give: [] });
      held.push(...plan.acquire);
    }
    if (plan.release.length) {
      out.push({ take: [], give: plan.release });
      for (const c of plan.release) held.splice(held.indexOf(c), 1);
    }
  }
  return out;
}

/**
 * The four trains at four crossings (chapter 12), abstracted to their crossing
 * steps: a train takes a crossing before its front reaches it and gives it back
 * when its back has left it (the course's stepPlan, default layout). Crossings
 * are Mutexes ("none", "hierarchy": the whole reservation in crossing order), or
 * the arbitrator hands them out (one Condition, `owner[c]` = the train holding
 * crossing c, −1 when free). Outcome: "all through", or "deadlock".
 */
export function trains(opts: { strategy?: TrainStrategy } = {}): Model {
  const strategy = strategyOf("trains", opts.strategy ?? "none");
  const layout = trainLayout();
  const actions = layout.tracks.map((t) => trainActions(layout, t.train, strategy));
  return model({
    name: `four trains, ${strategy === "none" ? "no strategy" : strategy}`,
    shared:
      strategy === "arbitrator" ? { owner: layout.crossings.map(() => -1), arbiter: sim.condition() } : { crossing: layout.crossings.map(() => sim.mutex()) },
    params: { actions, strategy },
    threads: function* train({ id, crossing, owner, arbiter, actions, strategy }): Steps {
      for (const { take, give } of actions[id]) {
        if (strategy !== "arbitrator") {
          for (const c of take) yield crossing[c].lock();
          for (const c of give) yield crossing[c].unlock();
          continue;
        }
        yield arbiter.acquire();
        if (take.length) {
          for (;;) {
            // wait until every crossing needed is free, then take them all
            let free = true;
            for (const c of take)
              if ((yield owner[c].read()) !== -1) {
                free = false;
                break;
              }
            if (free) break;
            yield arbiter.wait();
          }
          for (const c of take) yield owner[c].write(id);
        } else {
          for (const c of give) yield owner[c].write(-1);
          yield arbiter.notifyAll();
        }
        yield arbiter.release();
      }
      return id;
    },
    n: layout.tracks.length,
    threadNames: layout.tracks.map((t) => `train ${t.train}`),
    outcome: () => "all through",
    grade: { "all through": "expected" },
  });
}
