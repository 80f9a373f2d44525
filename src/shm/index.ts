export { Segment, openSegments, closeAllSegments, sweepDeadSegments, MAX_SEGMENT_BYTES } from "./segment";
export { addon, addonError, requireAddon } from "./native";
export { startReaper, reaperPid } from "./reaper";
export { ownSignalListeners, onOwnSignal, hostListenerCount, sigintListeners, rearmSigintIfAdded } from "./signals";
export type { ShmAddon } from "./native";
