// Charts: pure builders (data → Chart), the Node renderer, and the sweep
// measurement. No Jupyter here: kernel-helpers/src/charts.ts displays them.
export type { Chart, ChartSpec, RunLike } from "./types";
export { ChartInputError } from "./errors";
export { renderSvg, compileChart, compileVegaLite, loadVega } from "./render";
export { workerColor, workerScale, compareWorkers, STATE_COLORS, BLOCKED_COLORS, GRADE_COLORS, WORKER_HUES } from "./palette";
export { timelineChart, type TimelineOptions } from "./timeline";
export { contentionChart, type ContentionOptions } from "./contention";
export { speedupChart, summarise as summariseSpeedup, type SpeedupPoint, type SpeedupOptions, type SpeedupSummary, type TimingStatistic } from "./speedup";
export { amdahl, fitSerialFraction } from "./amdahl";
export { outcomesChart, type Grade, type Grader, type OutcomeCounts, type OutcomesOptions } from "./outcomes";
export { waitForChart, type WaitForOptions } from "./waitFor";
export { pipelineChart, type PipelineOptions } from "./pipeline";
export { taskStreamChart, type TaskStreamOptions } from "./taskStream";
export { barsChart, type BarData, type BarsOptions } from "./bars";
export { windRoseChart, DIRECTIONS, type WindRoseOptions } from "./windRose";
export { heatmapChart, type HeatmapOptions } from "./heatmap";
export { scheduleChart, type ScheduleData, type ScheduleStep, type ScheduleOptions } from "./schedule";
export { animationSvg, animationChart, type Frame, type Shape, type AnimationOptions } from "./animation";
export { measureSweep, type SweepOptions } from "./sweep";
export { table as textTable } from "./text";
