import { inflateSync } from 'node:zlib';

/**
 * The decompressed text of every Flate stream in the PDF (page contents, forms, and the font
 * data as noise), for tests about what is drawn rather than what text reads back.
 */
export function inflatedStreams(pdf: Buffer): string {
  const texts: string[] = [];
  let from = 0;
  for (;;) {
    const start = pdf.indexOf('stream\n', from);
    if (start === -1) break;
    const end = pdf.indexOf('\nendstream', start);
    if (end === -1) break;
    try {
      texts.push(inflateSync(pdf.subarray(start + 'stream\n'.length, end)).toString('latin1'));
    } catch {
      // Not a Flate stream.
    }
    from = end + 1;
  }
  return texts.join('\n');
}
