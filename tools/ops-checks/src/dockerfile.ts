import { readFileSync } from 'node:fs';

export interface DockerfileInstruction {
  /** Upper case: FROM, RUN, USER, … */
  instruction: string;
  /** The rest of the line, continuations joined. */
  argument: string;
}

/** The instructions of a Dockerfile, comments and blank lines left out, continued lines joined. */
export function readDockerfile(path: string): DockerfileInstruction[] {
  const logicalLines: string[] = [];
  let pending = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^\s*#/.test(line) || (pending === '' && line.trim() === '')) continue;
    const continued = line.endsWith('\\');
    pending += `${continued ? line.slice(0, -1) : line} `;
    if (!continued) {
      logicalLines.push(pending.trim());
      pending = '';
    }
  }
  return logicalLines.map((line) => {
    const [instruction = '', ...rest] = line.split(/\s+/);
    return { instruction: instruction.toUpperCase(), argument: rest.join(' ') };
  });
}

/** The arguments of every instruction of one kind, in order. */
export function instructionArguments(
  instructions: readonly DockerfileInstruction[],
  kind: string,
): string[] {
  return instructions
    .filter((instruction) => instruction.instruction === kind)
    .map((instruction) => instruction.argument);
}

/** The user and group of the last USER instruction: the runtime stage's. */
export function runtimeUser(instructions: readonly DockerfileInstruction[]): {
  user: string;
  group: string | undefined;
} {
  const [user = '', group] = (instructionArguments(instructions, 'USER').at(-1) ?? '').split(':');
  return { user, group };
}
