// Stress: the sync primitives between real worker threads (SharedArrayBuffer).
import { test } from "uvu";
import { defineStress } from "../sync/fixtures/stress";

defineStress("thread");
test.run();
