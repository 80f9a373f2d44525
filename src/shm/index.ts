export { Segment, openSegments, closeAllSegments, sweepDeadSegments, MAX_SEGMENT_BYTES } from "./segment";
export { addon, addonError, requireAddon } from "./native";
export type { ShmAddon } from "./native";
