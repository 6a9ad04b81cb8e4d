import { AssertExportError } from './errors.js';
import { parsePrometheusFloat } from './parse-prometheus-float.js';

export const metricTypes = ['counter', 'gauge', 'histogram', 'summary', 'untyped'] as const;
export type MetricType = (typeof metricTypes)[number];

export interface Sample {
  /** The series name as written: `export_duration_seconds_bucket`, not the family name. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  readonly timestampMs: number | undefined;
}

export interface MetricFamily {
  readonly name: string;
  /** `untyped` when no `# TYPE` line names the family. */
  readonly type: MetricType;
  readonly help: string | undefined;
  readonly samples: readonly Sample[];
}

/** Families by name, in the order they first appear. A `# HELP` line alone makes no family. */
export type Exposition = ReadonlyMap<string, MetricFamily>;

interface FamilyBuilder {
  name: string;
  type: MetricType;
  typeLine: number | undefined;
  help: string | undefined;
  samples: Sample[];
}

const metricName = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const labelName = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const blanks = /[ \t]*/y;
const descriptor = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/;
const timestamp = /^[+-]?\d+$/;

/**
 * Parses the Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` lines, other
 * comments, blank lines, and samples with optional labels and timestamp. Throws
 * `ASSERT_EXPORT_INVALID_EXPOSITION` naming the line for anything Prometheus would refuse.
 */
export function parseExposition(text: string): Exposition {
  const families = new Map<string, FamilyBuilder>();
  const helpTexts = new Map<string, string>();

  const familyNamed = (name: string): FamilyBuilder => {
    let family = families.get(name);
    if (!family) {
      family = { name, type: 'untyped', typeLine: undefined, help: undefined, samples: [] };
      families.set(name, family);
    }
    family.help ??= helpTexts.get(name);
    return family;
  };

  text.split('\n').forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const line = rawLine.replace(/\r$/, '').trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const match = descriptor.exec(line);
      if (!match) return; // an ordinary comment
      const [, keyword, name = '', rest = ''] = match;
      if (!isMetricName(name)) {
        throw invalidLine(lineNumber, `\`${name}\` is not a valid metric name`);
      }
      if (keyword === 'HELP') {
        const help = unescapeHelp(rest);
        helpTexts.set(name, help);
        const family = families.get(name);
        if (family) family.help = help;
        return;
      }
      const type = rest.trim();
      if (!isMetricType(type)) {
        throw invalidLine(lineNumber, `unknown metric type \`${type}\` for ${name}`);
      }
      const family = familyNamed(name);
      if (family.typeLine !== undefined) {
        throw invalidLine(
          lineNumber,
          `second # TYPE line for ${name} (first on line ${family.typeLine})`,
        );
      }
      family.type = type;
      family.typeLine = lineNumber;
      return;
    }
    const sample = parseSampleLine(line, lineNumber);
    familyOf(sample.name, families, familyNamed).samples.push(sample);
  });

  return new Map(
    [...families].map(([name, { type, help, samples }]) => [name, { name, type, help, samples }]),
  );
}

/** `foo_bucket`, `foo_sum` and `foo_count` belong to histogram `foo`; the sums also to summaries. */
function familyOf(
  sampleName: string,
  families: ReadonlyMap<string, FamilyBuilder>,
  familyNamed: (name: string) => FamilyBuilder,
): FamilyBuilder {
  const exact = families.get(sampleName);
  if (exact) return exact;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family?.type === 'histogram' || (family?.type === 'summary' && suffix !== '_bucket')) {
      return family;
    }
  }
  return familyNamed(sampleName);
}

function parseSampleLine(line: string, lineNumber: number): Sample {
  const name = matchAt(metricName, line, 0);
  if (name === undefined) throw invalidLine(lineNumber, 'expected a metric name');
  let labels: Record<string, string> = {};
  let position = skipBlanks(line, name.length);
  if (line[position] === '{') {
    ({ labels, end: position } = parseLabels(line, position + 1, lineNumber));
  } else if (position === name.length && position < line.length) {
    throw invalidLine(lineNumber, `unexpected \`${line[position]}\` after ${name}`);
  }
  const [valueText = '', timestampText, ...extra] = line
    .slice(position)
    .trim()
    .split(/[ \t]+/);
  if (valueText === '') throw invalidLine(lineNumber, `${name} has no value`);
  const value = parsePrometheusFloat(valueText);
  if (value === undefined) {
    throw invalidLine(lineNumber, `\`${valueText}\` is not a valid sample value`);
  }
  if (timestampText !== undefined && !timestamp.test(timestampText)) {
    throw invalidLine(lineNumber, `\`${timestampText}\` is not a valid timestamp`);
  }
  if (extra.length > 0) throw invalidLine(lineNumber, `unexpected \`${extra.join(' ')}\``);
  const timestampMs = timestampText === undefined ? undefined : Number(timestampText);
  return { name, labels, value, timestampMs };
}

/** From just after `{` to just after the matching `}`; label values keep escaped quotes. */
function parseLabels(
  line: string,
  start: number,
  lineNumber: number,
): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let position = skipBlanks(line, start);
  while (line[position] !== '}') {
    const name = matchAt(labelName, line, position);
    if (name === undefined) {
      throw invalidLine(lineNumber, `expected a label name or \`}\` at column ${position + 1}`);
    }
    if (Object.hasOwn(labels, name)) throw invalidLine(lineNumber, `label \`${name}\` repeated`);
    position = skipBlanks(line, position + name.length);
    if (line[position] !== '=') throw invalidLine(lineNumber, `expected \`=\` after label ${name}`);
    position = skipBlanks(line, position + 1);
    if (line[position] !== '"') {
      throw invalidLine(lineNumber, `expected a quoted value for label ${name}`);
    }
    const value = readQuoted(line, position + 1);
    if (!value) throw invalidLine(lineNumber, `unterminated value for label ${name}`);
    Object.defineProperty(labels, name, { value: value.text, enumerable: true });
    position = skipBlanks(line, value.end);
    if (line[position] === ',') position = skipBlanks(line, position + 1);
    else if (line[position] !== '}') {
      throw invalidLine(lineNumber, `expected \`,\` or \`}\` after label ${name}`);
    }
  }
  return { labels, end: position + 1 };
}

/**
 * A label value from just after its opening quote. `\\`, `\"` and `\n` are unescaped; any other
 * backslash is kept as written, as Prometheus does.
 */
function readQuoted(line: string, start: number): { text: string; end: number } | undefined {
  let text = '';
  for (let position = start; position < line.length; position++) {
    const character = line[position];
    if (character === '"') return { text, end: position + 1 };
    if (character === '\\' && position + 1 < line.length) {
      const next = line[++position];
      text += next === 'n' ? '\n' : next === '\\' || next === '"' ? next : `\\${next}`;
    } else {
      text += character;
    }
  }
  return undefined;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\([\\n])/g, (_, escaped: string) => (escaped === 'n' ? '\n' : '\\'));
}

function matchAt(pattern: RegExp, text: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[0];
}

function skipBlanks(text: string, position: number): number {
  blanks.lastIndex = position;
  blanks.exec(text);
  return blanks.lastIndex;
}

function isMetricName(name: string): boolean {
  return matchAt(metricName, name, 0) === name;
}

function isMetricType(type: string): type is MetricType {
  return (metricTypes as readonly string[]).includes(type);
}

function invalidLine(lineNumber: number, reason: string): AssertExportError {
  return new AssertExportError('ASSERT_EXPORT_INVALID_EXPOSITION', `line ${lineNumber}: ${reason}`);
}
