// The course's example programs as functions: data generation, parsing, the compute
// kernels a worker runs on its share, and the single-threaded reference versions.
export * from "./errors";
export * from "./paths";
export * from "./datasets";
export * from "./prng";
export * from "./matmul";
export * from "./shoelace";
export * from "./metar";
export * from "./metar-gen";
export * from "./letters";
export * from "./search";
export * from "./bank";
export * from "./trains";
export * from "./deadlock";
