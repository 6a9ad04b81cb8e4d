import { parseArgs } from 'node:util';
import type { Thresholds } from './assertions.js';
import { AssertExportError } from './errors.js';
import { type ExportFormatLabel, exportFormatLabels } from './export-families.js';

export const defaultArguments = Object.freeze({
  url: 'http://127.0.0.1:4001',
  timeoutMs: 5000,
  p95Seconds: 10,
  minSuccess: 0.95,
});

export interface AssertExportOptions {
  /** `--url` with `/export/metrics` appended to its path. */
  readonly metricsUrl: string;
  readonly token: string | undefined;
  readonly timeoutMs: number;
  readonly thresholds: Thresholds;
  readonly json: boolean;
}

export type ParsedArguments =
  | { readonly help: true }
  | { readonly help: false; readonly options: AssertExportOptions };

const flags = {
  url: { type: 'string' },
  token: { type: 'string' },
  'timeout-ms': { type: 'string' },
  'p95-seconds': { type: 'string' },
  'min-success': { type: 'string' },
  'exclude-rejected': { type: 'boolean' },
  format: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type FlagName = keyof typeof flags;

const maxTimeoutMs = 2 ** 31 - 1; // what setTimeout, and so AbortSignal.timeout, can wait
const decimalNumber = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const visibleAscii = /^[\x21-\x7e]+$/;

/**
 * The command line, normalized once against the defaults. Throws
 * `ASSERT_EXPORT_INVALID_ARGUMENT` naming the flag: unknown flags, positional arguments, missing
 * or malformed values. `--help` wins over every other flag.
 */
export function parseArguments(argv: readonly string[]): ParsedArguments {
  const given = readFlags(argv);
  if (given.has('help')) return { help: true };
  const text = (name: FlagName) => {
    const value = given.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const timeoutMs = text('timeout-ms');
  const p95Seconds = text('p95-seconds');
  const minSuccess = text('min-success');
  const token = text('token');
  const formats = text('format');
  return {
    help: false,
    options: {
      metricsUrl: metricsUrlOf(text('url') ?? defaultArguments.url),
      token: token === undefined ? undefined : checkedToken(token),
      timeoutMs:
        timeoutMs === undefined ? defaultArguments.timeoutMs : wholeMilliseconds(timeoutMs),
      thresholds: {
        p95Seconds:
          p95Seconds === undefined ? defaultArguments.p95Seconds : positiveSeconds(p95Seconds),
        minSuccess: minSuccess === undefined ? defaultArguments.minSuccess : ratio(minSuccess),
        excludeRejected: given.has('exclude-rejected'),
        formats: formats === undefined ? [] : formatList(formats),
      },
      json: given.has('json'),
    },
  };
}

/** Flags by name. parseArgs runs loose so that each mistake gets a message of our own. */
function readFlags(argv: readonly string[]): Map<FlagName, string | true> {
  const { tokens } = parseArgs({
    args: [...argv],
    options: flags,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const given = new Map<FlagName, string | true>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw invalidArgument(`unexpected argument \`${token.value}\`: every setting is a --flag`);
    }
    const { name, rawName, value, inlineValue } = token;
    if (!isFlagName(name)) throw invalidArgument(`unknown flag \`${rawName}\``);
    if (flags[name].type === 'boolean') {
      if (value !== undefined) throw invalidArgument(`flag \`--${name}\` takes no value`);
      given.set(name, true);
    } else if (value === undefined || (!inlineValue && value.startsWith('--'))) {
      // `--url --json` would otherwise read `--json` as the URL.
      throw invalidArgument(`flag \`--${name}\` needs a value`);
    } else {
      given.set(name, value);
    }
  }
  return given;
}

function metricsUrlOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidValue('url', 'an http:// or https:// URL', text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidValue('url', 'an http:// or https:// URL', text);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidArgument('flag `--url` must not carry credentials: pass --token instead');
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/export/metrics`;
  url.search = '';
  url.hash = '';
  return url.href;
}

function checkedToken(text: string): string {
  // The value is a secret: the message does not repeat it.
  if (!visibleAscii.test(text)) {
    throw invalidArgument('flag `--token` must be a non-empty token of visible ASCII characters');
  }
  return text;
}

function wholeMilliseconds(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > maxTimeoutMs) {
    throw invalidValue(
      'timeout-ms',
      `a whole number of milliseconds from 1 to ${maxTimeoutMs}`,
      text,
    );
  }
  return value;
}

function positiveSeconds(text: string): number {
  const value = Number(text);
  if (!decimalNumber.test(text) || !(value > 0) || !Number.isFinite(value)) {
    throw invalidValue('p95-seconds', 'a number of seconds greater than 0', text);
  }
  return value;
}

function ratio(text: string): number {
  const value = Number(text);
  if (!decimalNumber.test(text) || !(value >= 0 && value <= 1)) {
    throw invalidValue('min-success', 'a ratio from 0 to 1, such as 0.95', text);
  }
  return value;
}

/** `csv,pdf,xlsx`: each a format once, in the order given. */
function formatList(text: string): ExportFormatLabel[] {
  const known = exportFormatLabels.join(', ');
  const formats: ExportFormatLabel[] = [];
  for (const item of text.split(',')) {
    if (!isFormatLabel(item)) {
      throw invalidArgument(
        `flag \`--format\` must list formats from ${known}, separated by commas, got ${JSON.stringify(item)} in ${JSON.stringify(text)}`,
      );
    }
    if (formats.includes(item)) {
      throw invalidArgument(`flag \`--format\` lists \`${item}\` twice in ${JSON.stringify(text)}`);
    }
    formats.push(item);
  }
  return formats;
}

function isFormatLabel(text: string): text is ExportFormatLabel {
  return (exportFormatLabels as readonly string[]).includes(text);
}

function isFlagName(name: string): name is FlagName {
  return Object.hasOwn(flags, name);
}

function invalidValue(flag: FlagName, expected: string, got: string): AssertExportError {
  return invalidArgument(`flag \`--${flag}\` must be ${expected}, got ${JSON.stringify(got)}`);
}

function invalidArgument(message: string): AssertExportError {
  return new AssertExportError('ASSERT_EXPORT_INVALID_ARGUMENT', message);
}
