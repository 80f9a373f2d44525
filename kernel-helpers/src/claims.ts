// Claims from a cell: `claim(id, text, holds, { kind, value, expected, otherwise })`
// shows whether the run bore the statement out, and leaves a record in the cell's
// outputs that the notes build collects (src/claims has the contract).
// Re-exported from index.ts.
import {
  CLAIM_MIME,
  ClaimError,
  claimHtml,
  claimText,
  machineText,
  makeClaim,
  sampleMachine,
  type ClaimOptions,
  type ClaimRecord,
  type MachineState,
} from "../../src/claims";
import { displayBundle } from "./charts";

export { CLAIM_MIME, ClaimError, ClaimInputError, machineState } from "../../src/claims";
export type { ClaimKind, ClaimOptions, ClaimRecord, MachineState } from "../../src/claims";

/**
 * States something about this run and shows whether the run bore it out.
 * - `holds` is the comparison itself, computed from the measured values.
 * - kind "machine" (default): when it does not hold, the cell shows `otherwise`
 *   (if given) and "not seen on this run", with the machine's load; nothing throws.
 * - kind "always": when it does not hold, throws ClaimError after showing it, which
 *   fails the cell (and the notebook in the notes build).
 * Returns the record. Outside a kernel it prints one line instead.
 */
export function claim(id: string, text: string, holds: boolean, opts: ClaimOptions = {}): ClaimRecord {
  const record = makeClaim(id, text, holds, opts);
  const line = claimText(record);
  if (!displayBundle({ "text/html": claimHtml(record), "text/plain": line, [CLAIM_MIME]: record })) console.log(line);
  if (!record.held && record.kind === "always") throw new ClaimError(record);
  return quiet(record);
}

/** Shows the machine a notebook runs on (cores, load, what other programs use now: sampled for 250 ms, blocking) and warns when it is busy. Returns the state. */
export function machine(): MachineState {
  const state = sampleMachine();
  const text = machineText(state);
  if (!displayBundle({ "text/html": `<div class="interleave-machine${state.busy ? " interleave-machine-busy" : ""}">${text}</div>`, "text/plain": text }))
    console.log(text);
  return quiet(state);
}

// tslab prints a cell's last value: a claim() or machine() ending a cell would print its record again.
function quiet<T extends object>(value: T): T {
  Object.defineProperty(value, Symbol.for("nodejs.util.inspect.custom"), { value: () => "", enumerable: false });
  return value;
}
