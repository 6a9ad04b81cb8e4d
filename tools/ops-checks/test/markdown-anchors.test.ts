import { describe, expect, it } from 'vitest';
import { githubAnchor, markdownAnchors } from '../src/markdown-anchors.js';

describe('githubAnchor', () => {
  it.each([
    ['ExportQueueSaturation', 'exportqueuesaturation'],
    ['export_requests_total', 'export_requests_total'],
    ['First checks: what, where?', 'first-checks-what-where'],
    ['`up` and the scrape job', 'up-and-the-scrape-job'],
  ])('turns %j into %j', (heading, anchor) => {
    expect(githubAnchor(heading)).toBe(anchor);
  });
});

describe('markdownAnchors', () => {
  it('numbers repeated headings and skips code fences', () => {
    const markdown = [
      '# Runbook',
      '## Remedies',
      '```sh',
      '# not a heading',
      '```',
      '## Remedies',
    ].join('\n');
    expect([...markdownAnchors(markdown)]).toEqual(['runbook', 'remedies', 'remedies-1']);
  });
});
