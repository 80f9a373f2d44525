// Chapters 4 and 6: "stingy and spendy" share one bank balance. The kernels do the
// read-modify-write on element `index` of an Int32Array, so two workers can run them
// on one SharedArrayBuffer; without a lock their updates interleave and get lost.

/** Chapter 4: balance 100, stingy adds 10 a million times, spendy takes 10 a million times. */
export const RACE = { start: 100, amount: 10, times: 1_000_000 } as const;

/**
 * Chapter 6: stingy adds 10 a million times; spendy takes 20 half a million times, but
 * only when the balance allows (it waits on a condition otherwise). Final balance 100,
 * never negative.
 */
export const CONDITION = { start: 100, earn: 10, earnTimes: 1_000_000, spend: 20, spendTimes: 500_000 } as const;

/**
 * `times` unsynchronised updates balance[index] += delta (a load, an add, a store:
 * the window in which another worker's update is lost). `lock`/`unlock`, when given,
 * wrap each single update: the mutex version of the lesson.
 */
export function changeBalance(balance: Int32Array, index: number, delta: number, times: number, lock?: () => void, unlock?: () => void): void {
  if (lock && unlock) {
    for (let i = 0; i < times; i++) {
      lock();
      try {
        balance[index] = balance[index] + delta;
      } finally {
        unlock();
      }
    }
  } else {
    for (let i = 0; i < times; i++) balance[index] = balance[index] + delta;
  }
}

/** Single-threaded reference of chapter 4: stingy then spendy; always RACE.start. */
export function stingySpendySingle(): number {
  const b = new Int32Array([RACE.start]);
  changeBalance(b, 0, +RACE.amount, RACE.times);
  changeBalance(b, 0, -RACE.amount, RACE.times);
  return b[0];
}

/**
 * Single-threaded reference of chapter 6, interleaving the two in the only order one
 * thread can (earn until spendy can spend): returns the final and the lowest balance.
 */
export function conditionSingle(): { final: number; min: number } {
  let balance: number = CONDITION.start,
    min = balance,
    earned = 0,
    spent = 0;
  while (spent < CONDITION.spendTimes) {
    if (balance >= CONDITION.spend) {
      balance -= CONDITION.spend;
      spent++;
    } else {
      balance += CONDITION.earn;
      earned++;
    }
    if (balance < min) min = balance;
  }
  balance += CONDITION.earn * (CONDITION.earnTimes - earned);
  return { final: balance, min };
}

export type RaceGrade = "expected" | "money made" | "money lost";

/** Grades one end balance of the race for the outcome histogram: only RACE.start is right. */
export function gradeRace(final: number, expected: number = RACE.start): { grade: RaceGrade; ok: boolean; off: number } {
  const off = final - expected;
  return { grade: off === 0 ? "expected" : off > 0 ? "money made" : "money lost", ok: off === 0, off };
}

/**
 * Grades a run of the condition-variable version from the balances it observed (or
 * just the lowest one) and the final balance: ok when never negative and final 100.
 */
export function gradeCondition(final: number, lowest: number): { ok: boolean; reason: string } {
  if (lowest < 0) return { ok: false, reason: `the balance went negative (${lowest})` };
  if (final !== CONDITION.start) return { ok: false, reason: `final balance ${final}, expected ${CONDITION.start}` };
  return { ok: true, reason: "never negative, final balance as expected" };
}
