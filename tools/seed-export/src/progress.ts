export interface Progress {
  start(name: string, total: number): void;
  advance(): void;
  finish(line: string): void;
}

/** A bar redrawn in place on a terminal; plain lines (start, each 10%, end) anywhere else. */
export function createProgress(output: NodeJS.WriteStream | NodeJS.WritableStream): Progress {
  const isTerminal = 'isTTY' in output && output.isTTY === true;
  let name = '';
  let total = 0;
  let done = 0;
  let lastDecile = 0;
  const barWidth = 30;
  const draw = () => {
    const filled = total === 0 ? barWidth : Math.round((done / total) * barWidth);
    output.write(
      `\r${name} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${done}/${total}`,
    );
  };
  return {
    start(scenario, requests) {
      name = scenario;
      total = requests;
      done = 0;
      lastDecile = 0;
      if (isTerminal) draw();
      else output.write(`${name}: ${total} request${total === 1 ? '' : 's'}\n`);
    },
    advance() {
      done += 1;
      if (isTerminal) {
        draw();
        return;
      }
      const decile = Math.floor((done / total) * 10);
      if (decile > lastDecile && done < total) {
        lastDecile = decile;
        output.write(`${name}: ${done}/${total}\n`);
      }
    },
    finish(line) {
      output.write(isTerminal ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
  };
}
