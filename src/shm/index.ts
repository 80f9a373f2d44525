export { Segment, openSegments, closeAllSegments, sweepDeadSegments, MAX_SEGMENT_BYTES } from "./segment";
export { addon, addonError, requireAddon } from "./native";
export { ownSignalListeners, onOwnSignal, hostListenerCount } from "./signals";
export type { ShmAddon } from "./native";
