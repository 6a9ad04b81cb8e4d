#!/usr/bin/env node
import { Agent } from 'node:http';
import { parseArguments, UsageError, usage } from './parse-arguments.js';
import { createProgress } from './progress.js';
import { runScenario } from './run-scenario.js';
import { type ScenarioSummary, summaryTable } from './summarize.js';

async function main(): Promise<number> {
  let options: ReturnType<typeof parseArguments>;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`seed-export: ${error.message}\n\n${usage}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency * 2 });
  const target = {
    baseUrl: options.baseUrl,
    token: options.token,
    agent,
    timeoutMs: options.timeoutMs,
  };
  const progress = createProgress(process.stderr);
  const summaries: ScenarioSummary[] = [];
  try {
    for (const scenario of options.scenarios) {
      summaries.push(await runScenario(target, scenario, options, progress));
    }
  } finally {
    agent.destroy();
  }
  if (options.json) process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
  else process.stdout.write(`\n${summaryTable(summaries)}\n`);
  const failures = summaries.flatMap((summary) =>
    summary.errorMessages.map((message) => `${summary.name}: ${message}`),
  );
  if (failures.length > 0) {
    (options.json ? process.stderr : process.stdout).write(
      `\nfailed exports:\n${failures.map((line) => `  ${line}`).join('\n')}\n`,
    );
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`seed-export: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
