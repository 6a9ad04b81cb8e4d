import type { Progress } from './progress.js';
import type { Scenario } from './scenarios.js';
import { type ExportAttempt, type ExportTarget, sendExport } from './send-export.js';
import { type ScenarioSummary, summarize } from './summarize.js';

export interface Load {
  concurrency: number;
  repeat: number;
}

/** `concurrency` workers, each sending `repeat` exports one after the other. */
export async function runScenario(
  target: ExportTarget,
  scenario: Scenario,
  { concurrency, repeat }: Load,
  progress: Progress,
): Promise<ScenarioSummary> {
  const attempts: ExportAttempt[] = [];
  progress.start(scenario.name, concurrency * repeat);
  const startedAt = performance.now();
  const worker = async () => {
    for (let round = 0; round < repeat; round += 1) {
      attempts.push(await sendExport(target, scenario));
      progress.advance();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const summary = summarize(scenario.name, attempts, performance.now() - startedAt);
  progress.finish(
    `${scenario.name}: ${summary.ok} ok, ${summary.rejected} refused (429), ${summary.errors} failed`,
  );
  return summary;
}
