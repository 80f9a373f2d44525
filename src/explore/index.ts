// The schedule explorer: small concurrent programs as models (model.ts), every
// interleaving of them or a sample (explore.ts), replay and the stepper
// (replay.ts), and the course's ready-made models (models/). README.md has the contract.
// This is its public API: kernel-helpers re-exports it as is. The command line
// (cli.ts) is not part of it: the course's CLI imports it directly.
export { ExploreInputError, ModelError } from "./errors";
export {
  model,
  sim,
  Model,
  Step,
  VarHandle,
  MutexHandle,
  ConditionHandle,
  SemaphoreHandle,
  BarrierHandle,
  WaitGroupHandle,
  QueueHandle,
  type ModelSpec,
  type ThreadBody,
  type SharedInit,
  type PlainValue,
  type PrimitiveDecl,
  type FinalState,
  type OutcomeGrader,
  type ObjectInfo,
} from "./model";
export {
  exploreModel,
  sampleSchedule,
  sampleSeed,
  outcomeCounts,
  type ExploreOptions,
  type ExploreResult,
  type OutcomeRow,
  type DeadlockRow,
  type WaitGraph,
  type Reduction,
  type SampleStrategy,
} from "./explore";
export { replaySchedule, decisiveStep, Stepper, type ReplayResult, type ReplayStep, type StepperView, type ThreadView, type RunStatus } from "./replay";
export { scheduleData } from "./lanes";
export * as models from "./models/index";
export { MODELS, courseModel, type ModelParams, type ModelEntry } from "./models/index";
export { lostUpdateOnThreads, runOnThreads, type RealRounds, type RealRun } from "./real";
