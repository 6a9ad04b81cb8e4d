import { describe, expect, it } from 'vitest';
import { AssertExportError } from './errors.js';
import { exportFamilyNames } from './export-families.js';
import { parseExposition } from './parse-exposition.js';
import { readFixture } from './test-helpers/read-fixture.js';

function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

function parseError(text: string): AssertExportError {
  try {
    parseExposition(text);
  } catch (error) {
    if (error instanceof AssertExportError) return error;
    throw error;
  }
  throw new Error('expected parseExposition to throw');
}

describe('parseExposition', () => {
  it('reads families with their type, help and samples, in order', () => {
    const exposition = parseExposition(
      lines(
        '# HELP export_rows_total Rows written by exports.',
        '# TYPE export_rows_total counter',
        'export_rows_total{format="csv"} 3',
        'export_rows_total{format="pdf"} 1',
        '',
        '# TYPE export_queue_depth gauge',
        'export_queue_depth 0',
      ),
    );
    expect([...exposition.keys()]).toEqual(['export_rows_total', 'export_queue_depth']);
    expect(exposition.get('export_rows_total')).toEqual({
      name: 'export_rows_total',
      type: 'counter',
      help: 'Rows written by exports.',
      samples: [
        { name: 'export_rows_total', labels: { format: 'csv' }, value: 3, timestampMs: undefined },
        { name: 'export_rows_total', labels: { format: 'pdf' }, value: 1, timestampMs: undefined },
      ],
    });
    expect(exposition.get('export_queue_depth')?.samples[0]?.labels).toEqual({});
  });

  it('files _bucket, _sum and _count samples under their histogram family', () => {
    const exposition = parseExposition(
      lines(
        '# TYPE export_duration_seconds histogram',
        'export_duration_seconds_bucket{le="0.5",format="csv"} 1',
        'export_duration_seconds_bucket{le="+Inf",format="csv"} 2',
        'export_duration_seconds_sum{format="csv"} 1.25',
        'export_duration_seconds_count{format="csv"} 2',
      ),
    );
    expect([...exposition.keys()]).toEqual(['export_duration_seconds']);
    expect(exposition.get('export_duration_seconds')?.samples.map((sample) => sample.name)).toEqual(
      [
        'export_duration_seconds_bucket',
        'export_duration_seconds_bucket',
        'export_duration_seconds_sum',
        'export_duration_seconds_count',
      ],
    );
  });

  it('files a summary’s quantiles, _sum and _count under the summary family', () => {
    const exposition = parseExposition(
      lines(
        '# TYPE rpc_seconds summary',
        'rpc_seconds{quantile="0.5"} 0.2',
        'rpc_seconds_sum 12',
        'rpc_seconds_count 40',
      ),
    );
    expect([...exposition.keys()]).toEqual(['rpc_seconds']);
    expect(exposition.get('rpc_seconds')?.samples).toHaveLength(3);
  });

  it('keeps a family whose # TYPE line has no samples yet, like an unused counter', () => {
    const exposition = parseExposition(
      lines(
        '# HELP export_fail_total Failed exports by format and reason.',
        '# TYPE export_fail_total counter',
      ),
    );
    expect(exposition.get('export_fail_total')).toEqual({
      name: 'export_fail_total',
      type: 'counter',
      help: 'Failed exports by format and reason.',
      samples: [],
    });
  });

  it('makes no family of a # HELP line alone', () => {
    expect(parseExposition(lines('# HELP export_fail_total Failed exports.')).size).toBe(0);
  });

  it('files samples without a # TYPE line under an untyped family of their own name', () => {
    const exposition = parseExposition(lines('some_metric_bucket{le="1"} 3'));
    expect(exposition.get('some_metric_bucket')?.type).toBe('untyped');
  });

  it('unescapes \\" \\\\ and \\n in label values and keeps any other backslash', () => {
    const exposition = parseExposition(
      lines(String.raw`weird{quote="say \"hi\"",backslash="C:\\dir",newline="a\nb",other="\t"} 1`),
    );
    expect(exposition.get('weird')?.samples[0]?.labels).toEqual({
      quote: 'say "hi"',
      backslash: 'C:\\dir',
      newline: 'a\nb',
      other: '\\t',
    });
  });

  it('reads commas, braces, = and # inside label values as text', () => {
    const exposition = parseExposition(lines('m{path="/a,b}{c=d#e"} 1'));
    expect(exposition.get('m')?.samples[0]?.labels).toEqual({ path: '/a,b}{c=d#e' });
  });

  it('accepts blanks around labels, a trailing comma and empty braces', () => {
    const exposition = parseExposition(lines('m { a = "1" , b="2", } 7', 'n{} 8'));
    expect(exposition.get('m')?.samples[0]).toMatchObject({ labels: { a: '1', b: '2' }, value: 7 });
    expect(exposition.get('n')?.samples[0]).toMatchObject({ labels: {}, value: 8 });
  });

  it('keeps a label named __proto__ as an ordinary label', () => {
    const labels = parseExposition(lines('m{__proto__="x"} 1')).get('m')?.samples[0]?.labels;
    expect(Object.keys(labels ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  it('reads +Inf, -Inf, NaN and exponent values', () => {
    const values = [
      ...parseExposition(lines('a +Inf', 'b -Inf', 'c NaN', 'd 1.5e-3', 'e -2E+2')).values(),
    ].map((family) => family.samples[0]?.value);
    expect(values).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      0.0015,
      -200,
    ]);
  });

  it('reads an optional timestamp in milliseconds', () => {
    const exposition = parseExposition(
      lines('a 1 1795876675000', 'b{x="y"} 2 -5', 'c 3', 'd 4\t1700000000000  '),
    );
    expect([...exposition.values()].map((family) => family.samples[0]?.timestampMs)).toEqual([
      1795876675000,
      -5,
      undefined,
      1700000000000,
    ]);
  });

  it('ignores blank lines, other comments and carriage returns', () => {
    const exposition = parseExposition(
      '# just a comment\r\n\r\n#HELP is not a keyword without a blank\r\n  \r\na 1\r\n',
    );
    expect([...exposition.keys()]).toEqual(['a']);
    expect(exposition.get('a')?.samples[0]?.value).toBe(1);
  });

  it('unescapes \\\\ and \\n in help text', () => {
    const exposition = parseExposition(
      lines(String.raw`# HELP a Two\nlines with C:\\dir and \t kept`, '# TYPE a gauge'),
    );
    expect(exposition.get('a')?.help).toBe('Two\nlines with C:\\dir and \\t kept');
  });

  it('reads a real executor scrape, with all the export families typed', () => {
    const exposition = parseExposition(readFixture('healthy'));
    for (const name of exportFamilyNames) expect(exposition.get(name)?.type).not.toBe('untyped');
    expect(exposition.get('nodejs_version_info')?.samples[0]?.labels).toMatchObject({
      major: '20',
    });
    expect(exposition.get('export_duration_seconds')?.samples).toHaveLength(34);
  });

  it.each([
    ['a', 'line 1: a has no value'],
    ['a abc', 'line 1: `abc` is not a valid sample value'],
    ['a 1 2 3', 'line 1: unexpected `3`'],
    ['a 1 1.5', 'line 1: `1.5` is not a valid timestamp'],
    ['a!b 1', 'line 1: unexpected `!` after a'],
    ['9a 1', 'line 1: expected a metric name'],
    ['a{b="c" 1', 'line 1: expected `,` or `}` after label b'],
    ['a{b="c} 1', 'line 1: unterminated value for label b'],
    ['a{b=c} 1', 'line 1: expected a quoted value for label b'],
    ['a{b} 1', 'line 1: expected `=` after label b'],
    ['a{1b="c"} 1', 'line 1: expected a label name or `}` at column 3'],
    ['a{b="1",b="2"} 1', 'line 1: label `b` repeated'],
    ['# TYPE a countr', 'line 1: unknown metric type `countr` for a'],
    ['# TYPE 1a counter', 'line 1: `1a` is not a valid metric name'],
  ])('refuses %j with a message naming the line', (text, message) => {
    const error = parseError(lines('# HELP ok fine', text));
    expect(error.code).toBe('ASSERT_EXPORT_INVALID_EXPOSITION');
    expect(error.message).toBe(message.replace('line 1', 'line 2'));
  });

  it('refuses a second # TYPE line for the same family', () => {
    const error = parseError(lines('# TYPE a gauge', 'a 1', '# TYPE a counter'));
    expect(error.code).toBe('ASSERT_EXPORT_INVALID_EXPOSITION');
    expect(error.message).toBe('line 3: second # TYPE line for a (first on line 1)');
  });
});
