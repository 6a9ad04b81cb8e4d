import { describe, expect, it } from 'vitest';
import { AssertExportError } from './errors.js';
import { type AssertExportOptions, parseArguments } from './parse-arguments.js';

function optionsOf(argv: string[]): AssertExportOptions {
  const parsed = parseArguments(argv);
  if (parsed.help) throw new Error('expected options, got --help');
  return parsed.options;
}

function argumentError(argv: string[]): AssertExportError {
  try {
    parseArguments(argv);
  } catch (error) {
    if (error instanceof AssertExportError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be refused`);
}

describe('parseArguments', () => {
  it('defaults to the local executor and the issue’s thresholds', () => {
    expect(optionsOf([])).toEqual({
      metricsUrl: 'http://127.0.0.1:4001/export/metrics',
      token: undefined,
      timeoutMs: 5000,
      thresholds: { p95Seconds: 10, minSuccess: 0.95, excludeRejected: false, formats: [] },
      json: false,
    });
  });

  it('reads every flag, as --flag value or --flag=value', () => {
    expect(
      optionsOf([
        '--url',
        'https://exports.example.com:8443',
        '--token=secret-token-0123456789',
        '--timeout-ms',
        '250',
        '--p95-seconds=2.5',
        '--min-success',
        '0.99',
        '--exclude-rejected',
        '--format=xlsx,csv',
        '--json',
      ]),
    ).toEqual({
      metricsUrl: 'https://exports.example.com:8443/export/metrics',
      token: 'secret-token-0123456789',
      timeoutMs: 250,
      thresholds: {
        p95Seconds: 2.5,
        minSuccess: 0.99,
        excludeRejected: true,
        formats: ['xlsx', 'csv'],
      },
      json: true,
    });
  });

  it.each([
    ['http://127.0.0.1:4001/', 'http://127.0.0.1:4001/export/metrics'],
    ['http://gateway/executor', 'http://gateway/executor/export/metrics'],
    ['http://gateway/executor//?x=1#top', 'http://gateway/executor/export/metrics'],
  ])('appends /export/metrics to the path of --url %s', (url, metricsUrl) => {
    expect(optionsOf(['--url', url]).metricsUrl).toBe(metricsUrl);
  });

  it('lets the last of a repeated flag win', () => {
    expect(optionsOf(['--p95-seconds', '1', '--p95-seconds', '3']).thresholds.p95Seconds).toBe(3);
  });

  it.each([['--help'], ['-h'], ['--json', '--help'], ['--min-success', '7', '-h']])(
    'asks for the usage with %s, whatever else is given',
    (...argv) => {
      expect(parseArguments(argv)).toEqual({ help: true });
    },
  );

  it.each([
    [['--bogus'], 'unknown flag `--bogus`'],
    [['-x'], 'unknown flag `-x`'],
    [['--URL', 'http://x'], 'unknown flag `--URL`'],
    [
      ['http://127.0.0.1:4001'],
      'unexpected argument `http://127.0.0.1:4001`: every setting is a --flag',
    ],
    [['--url'], 'flag `--url` needs a value'],
    [['--url', '--json'], 'flag `--url` needs a value'],
    [['--json=yes'], 'flag `--json` takes no value'],
    [['--exclude-rejected=false'], 'flag `--exclude-rejected` takes no value'],
    [
      ['--url', 'localhost:4001'],
      'flag `--url` must be an http:// or https:// URL, got "localhost:4001"',
    ],
    [['--url', 'not a url'], 'flag `--url` must be an http:// or https:// URL, got "not a url"'],
    [
      ['--url', 'http://user:pass@host'],
      'flag `--url` must not carry credentials: pass --token instead',
    ],
    [['--token='], 'flag `--token` must be a non-empty token of visible ASCII characters'],
    [
      ['--timeout-ms', '0'],
      'flag `--timeout-ms` must be a whole number of milliseconds from 1 to 2147483647, got "0"',
    ],
    [
      ['--timeout-ms', '1.5'],
      'flag `--timeout-ms` must be a whole number of milliseconds from 1 to 2147483647, got "1.5"',
    ],
    [
      ['--timeout-ms', '2147483648'],
      'flag `--timeout-ms` must be a whole number of milliseconds from 1 to 2147483647, got "2147483648"',
    ],
    [
      ['--p95-seconds', '0'],
      'flag `--p95-seconds` must be a number of seconds greater than 0, got "0"',
    ],
    [
      ['--p95-seconds', 'fast'],
      'flag `--p95-seconds` must be a number of seconds greater than 0, got "fast"',
    ],
    [
      ['--p95-seconds', 'Infinity'],
      'flag `--p95-seconds` must be a number of seconds greater than 0, got "Infinity"',
    ],
    [
      ['--p95-seconds', '1e999'],
      'flag `--p95-seconds` must be a number of seconds greater than 0, got "1e999"',
    ],
    [
      ['--min-success', '95'],
      'flag `--min-success` must be a ratio from 0 to 1, such as 0.95, got "95"',
    ],
    [
      ['--min-success', '-0.1'],
      'flag `--min-success` must be a ratio from 0 to 1, such as 0.95, got "-0.1"',
    ],
    [
      ['--min-success', '95%'],
      'flag `--min-success` must be a ratio from 0 to 1, such as 0.95, got "95%"',
    ],
    [
      ['--min-success', ''],
      'flag `--min-success` must be a ratio from 0 to 1, such as 0.95, got ""',
    ],
    [
      ['--format', 'docx'],
      'flag `--format` must list formats from csv, pdf, xlsx, separated by commas, got "docx" in "docx"',
    ],
    [
      ['--format=csv,,pdf'],
      'flag `--format` must list formats from csv, pdf, xlsx, separated by commas, got "" in "csv,,pdf"',
    ],
    [
      ['--format=csv, pdf'],
      'flag `--format` must list formats from csv, pdf, xlsx, separated by commas, got " pdf" in "csv, pdf"',
    ],
    [
      ['--format=other'],
      'flag `--format` must list formats from csv, pdf, xlsx, separated by commas, got "other" in "other"',
    ],
    [
      ['--format=CSV'],
      'flag `--format` must list formats from csv, pdf, xlsx, separated by commas, got "CSV" in "CSV"',
    ],
    [['--format=pdf,csv,pdf'], 'flag `--format` lists `pdf` twice in "pdf,csv,pdf"'],
    [['--format'], 'flag `--format` needs a value'],
  ])('refuses %j: %s', (argv, message) => {
    const error = argumentError(argv);
    expect(error.code).toBe('ASSERT_EXPORT_INVALID_ARGUMENT');
    expect(error.message).toBe(message);
  });

  it('never repeats a refused token in its message', () => {
    const error = argumentError(['--token', 'has spaces in the secret']);
    expect(error.message).not.toContain('secret');
  });
});
