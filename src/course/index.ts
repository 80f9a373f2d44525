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
export * from "./trace-totals";
// The chapters' threaded and multi-process versions (they use src/spawn and src/sync).
export * from "./ch01-primes";
export * from "./ch02-threads-and-processes";
export * from "./ch03-memory-sharing";
export * from "./ch03-memory-model";
export * from "./ch03-start-cost";
export * from "./docserver";
export * from "./ch04-mutexes";
export * from "./ch04-letter-shares";
export * from "./ch05-joins";
export * from "./ch05-thread-cost";
export * from "./ch06-condition-variables";
export * from "./ch07-barriers";
export * from "./ch08-memory-sharing-processes";
export * from "./ch09-message-passing";
export * from "./ch09-node-channels";
export * from "./ch10-pipelining";
export * from "./ch11-pools";
export * from "./ch12-deadlocks";
