/**
 * Mocha's dot reporter, followed by the wall time each group of test files took (a group is a folder of
 * tests/, or a file at its top level) and the slowest files, so a test that makes the loop slow shows
 * up in the run that introduced it. Every moment between two events is charged to the file of the
 * test or hook that ended it; loading and compiling the files before the first test is shown apart.
 */
import * as path from "path";
import Mocha from "mocha";

const { EVENT_HOOK_END, EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_TEST_END } = Mocha.Runner.constants;
const TESTS = path.resolve(__dirname);

/** `tests/storage/x.test.ts` -> `storage/`, `tests/config.test.ts` -> `config.test.ts`. */
function groupOf(file: string): string {
  const relative = path.relative(TESTS, file).split(path.sep);
  return relative.length > 1 ? `${relative[0]}/` : relative[0];
}

function fileOf(runnable: Mocha.Runnable | Mocha.Suite): string | undefined {
  for (let r: Mocha.Runnable | Mocha.Suite | undefined = runnable; r; r = r.parent) {
    if (r.file) return r.file;
  }
  return undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

class TimingReporter extends Mocha.reporters.Dot {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const loading = process.uptime() * 1000;
    const perFile = new Map<string, number>();
    // In parallel mode the workers send a file's events in one burst when it is done, so the time
    // between two events says nothing: each test and hook is charged its own duration instead, and
    // the groups add up to more than the wall time (the workers ran side by side).
    const parallel = options?.parallel === true;
    let last = Date.now();
    const charge = (runnable: Mocha.Runnable | Mocha.Suite) => {
      const now = Date.now();
      const file = fileOf(runnable);
      const ms = parallel ? ((runnable as Mocha.Runnable).duration ?? 0) : now - last;
      if (file) perFile.set(file, (perFile.get(file) ?? 0) + ms);
      last = now;
    };
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.root) last = Date.now();
    });
    runner.on(EVENT_TEST_END, charge);
    runner.on(EVENT_HOOK_END, charge);
    runner.once(EVENT_RUN_END, () => {
      const groups = new Map<string, { ms: number; files: number }>();
      for (const [file, ms] of perFile) {
        const g = groups.get(groupOf(file)) ?? { ms: 0, files: 0 };
        groups.set(groupOf(file), { ms: g.ms + ms, files: g.files + 1 });
      }
      const total = [...perFile.values()].reduce((a, b) => a + b, 0);
      const lines = [
        parallel
          ? `  time per file group, summed over the workers (tests and hooks only; loading and compiling in each worker not counted): ${seconds(total)}`
          : `  time per file group (loading and compiling before the first test: ${seconds(loading)}; tests: ${seconds(total)})`,
      ];
      for (const [group, g] of [...groups].sort((a, b) => b[1].ms - a[1].ms)) {
        lines.push(`    ${seconds(g.ms).padStart(8)}  ${group} (${g.files} file${g.files === 1 ? "" : "s"})`);
      }
      const slowest = [...perFile].sort((a, b) => b[1] - a[1]).slice(0, 5);
      lines.push(`  slowest files: ${slowest.map(([f, ms]) => `${path.relative(TESTS, f)} ${seconds(ms)}`).join(", ")}`);
      // After the dot reporter's own summary, which it prints on the same event.
      process.nextTick(() => console.log(`${lines.join("\n")}\n`));
    });
  }
}

export = TimingReporter;
