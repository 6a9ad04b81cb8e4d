import { describe, expect, it } from 'vitest';
import { parseArguments, UsageError } from '../src/parse-arguments.js';

describe('parseArguments', () => {
  it('defaults to one 1000-row CSV through /export/stream on 127.0.0.1:4001', () => {
    const options = parseArguments([], {});
    expect(options.scenarios).toEqual([
      { name: '1k csv (stream)', mode: 'stream', format: 'csv', rows: 1000 },
    ]);
    expect(options.baseUrl.href).toBe('http://127.0.0.1:4001/');
    expect(options).toMatchObject({
      concurrency: 1,
      repeat: 1,
      timeoutMs: 600_000,
      token: undefined,
    });
  });

  it('runs one scenario per mode given', () => {
    const options = parseArguments(['--records=250', '--format=pdf', '--mode=run,jobs'], {});
    expect(options.scenarios.map((scenario) => scenario.name)).toEqual([
      '250 pdf (run)',
      '250 pdf (jobs)',
    ]);
  });

  it('runs the ten batch scenarios for each mode', () => {
    const options = parseArguments(['--batch', '--mode=stream,jobs'], {});
    expect(options.scenarios).toHaveLength(20);
    expect(options.scenarios.slice(0, 10).map((scenario) => scenario.name)).toEqual([
      '1k csv (stream)',
      '5k csv (stream)',
      '10k csv (stream)',
      '1k pdf (stream)',
      '5k pdf (stream)',
      '100k csv (stream)',
      '50k pdf (stream)',
      '1k xlsx (stream)',
      '10k xlsx (stream)',
      '100k xlsx (stream)',
    ]);
  });

  it('takes the token from --token or SEED_EXPORT_TOKEN', () => {
    expect(parseArguments(['--token=abc'], {}).token).toBe('abc');
    expect(parseArguments([], { SEED_EXPORT_TOKEN: 'xyz' }).token).toBe('xyz');
  });

  it.each([
    [['--records=0'], '--records must be a whole number of at least 1, got "0"'],
    [['--concurrency=two'], '--concurrency must be a whole number of at least 1, got "two"'],
    [['--format=docx'], '--format must be csv, pdf or xlsx, got "docx"'],
    [['--mode=run,grpc'], '--mode must be run, stream or jobs, got "grpc"'],
    [['--url=nowhere'], '--url must be a URL such as http://127.0.0.1:4001, got "nowhere"'],
    [['--url=https://example.com'], '--url must be an http:// URL, got "https://example.com"'],
    [['--batch', '--records=5'], '--batch runs its own sizes and formats'],
    [['--rows=5'], "Unknown option '--rows'"],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    expect(() => parseArguments(argv, {})).toThrow(UsageError);
    expect(() => parseArguments(argv, {})).toThrow(message);
  });
});
