/** A fenced code block of a README, and the example file its marker names, if any. */
export interface ReadmeSnippet {
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  code: string;
  /** From `<!-- example: examples/name.ts -->` on the line before the fence. */
  example: string | undefined;
}

const fence = /^```(\w*)\s*$/;
const marker = /^<!--\s*example:\s*(\S+)\s*-->$/;

/** Every fenced block of `markdown`, with the example file named just before it. */
export function readmeSnippets(markdown: string): ReadmeSnippet[] {
  const lines = markdown.split('\n');
  const snippets: ReadmeSnippet[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const opening = fence.exec(lines[index] ?? '');
    if (!opening) continue;
    const end = lines.findIndex((text, at) => at > index && text.trimEnd() === '```');
    if (end === -1) throw new Error(`the block at line ${index + 1} is never closed`);
    const previous = lines[index - 1]?.trim() ?? '';
    snippets.push({
      line: index + 1,
      language: opening[1] ?? '',
      code: `${lines.slice(index + 1, end).join('\n')}\n`,
      example: marker.exec(previous)?.[1],
    });
    index = end;
  }
  return snippets;
}

/** Languages a snippet of which must be a tested example file; shell and text need not. */
export const codeLanguages: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript']);
