import { readFileSync } from 'node:fs';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';

/** A font file read once, at option time, so a bad path fails before any row is written. */
export interface FontFile {
  readonly path: string;
  readonly data: Buffer;
}

// The first four bytes of a TrueType (0x00010000 or 'true') or OpenType/CFF ('OTTO') font.
const fontSignatures = new Set([0x00010000, 0x74727565, 0x4f54544f]);

export function readFontFile(path: unknown, option: string): FontFile {
  if (typeof path !== 'string' || path === '') {
    throw invalidFont(
      option,
      `must be the path of a .ttf or .otf file, got ${describeValue(path)}`,
    );
  }
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    throw invalidFont(
      option,
      `must be the path of a readable font file, got ${describeValue(path)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      error,
    );
  }
  if (data.length < 12 || !fontSignatures.has(data.readUInt32BE(0))) {
    throw invalidFont(option, `must be a TrueType or OpenType font, got ${describeValue(path)}`);
  }
  return { path, data };
}

function invalidFont(option: string, detail: string, cause?: unknown): ExportError {
  return new ExportError(
    'EXPORT_INVALID_OPTION',
    `option \`${option}\` ${detail}`,
    cause === undefined ? {} : { cause },
  );
}
