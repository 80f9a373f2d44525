// The exercises, checked twice each: the reference solution must pass and the untouched
// starter must fail, with the message a learner would see.
//
//   npm run -s exercises [-- --json] [--only 04-e1,06-e2]
//
// Without --json: one line per exercise, then "N passed, N failed". With --json: a JSON
// array of { id, chapter, solutionPasses, starterFails, message, solutionLine }.
// Exit status: 0 when every exercise behaves, 1 when one does not, 2 for bad input.
import { parseArgs } from "node:util";
import { ExerciseInputError, exerciseById, exercises, selfCheck, type ExerciseReport } from "../src/exercises";
import { stopAll } from "../src/spawn/lifecycle";
import { ToolError, runCli } from "./errors";

const USAGE = "usage: npm run -s exercises -- [--json] [--only ID,ID…]";

async function main(argv: string[]): Promise<number> {
  let values: { json?: boolean; only?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { json: { type: "boolean" }, only: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new ToolError(`${(e as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let chosen = exercises;
  try {
    if (values.only) chosen = values.only.split(",").map((id) => exerciseById(id.trim()));
  } catch (e) {
    if (e instanceof ExerciseInputError) throw new ToolError(e.message, 2);
    throw e;
  }
  const reports: ExerciseReport[] = [];
  for (const exercise of chosen) {
    const report = await selfCheck(exercise);
    reports.push(report);
    if (!values.json) {
      const ok = report.solutionPasses && report.starterFails;
      console.log(
        `${ok ? "ok  " : "FAIL"} ${report.id}${report.solutionPasses ? "" : ` (the solution fails: ${report.solutionMessage})`}${report.starterFails ? "" : " (the starter passes)"} — starter: ${report.message}`,
      );
    }
  }
  await stopAll("the exercises command is done");
  const good = reports.filter((r) => r.solutionPasses && r.starterFails).length;
  if (values.json)
    console.log(
      JSON.stringify(
        reports.map(({ solutionMessage: _, ...r }) => r),
        null,
        2,
      ),
    );
  else console.log(`${good} passed, ${reports.length - good} failed`);
  return good === reports.length ? 0 : 1;
}

if (require.main === module) runCli("exercises", () => main(process.argv.slice(2)));
