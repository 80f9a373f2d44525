// Stress: the sync primitives between real child processes (named shm + futex).
import { test } from "uvu";
import { defineStress } from "../sync/fixtures/stress";

defineStress("process");
test.run();
