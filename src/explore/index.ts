// The schedule explorer: small concurrent programs as models (model.ts), every
// interleaving of them or a sample (explore.ts), replay and the stepper
// (replay.ts), and the course's ready-made models (models/). README.md has the contract.
export { ExploreInputError, ModelError } from "./errors";
export {
  model,
  sim,
  Model,
  Step,
  isPlain,
  MAX_THREADS,
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
  gradeOf,
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
export { runExploreCli, EXPLORE_USAGE, EXPLORE_ABOUT, type ExploreCliOutput } from "./cli";
export { lostUpdateOnThreads, runOnThreads, type RealRounds, type RealRun } from "./real";
