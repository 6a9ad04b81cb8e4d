// The zip streamers compared for the XLSX writer: the same sheet XML (rows as export-core writes
// them) deflated into one entry by each, in a fresh process per engine. Prints one markdown table.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const engines = {
  fflate: async (chunks, output) => {
    const { Zip, ZipDeflate } = await import('fflate');
    const file = createWriteStream(output);
    const done = new Promise((resolve, reject) => {
      file.on('finish', resolve);
      file.on('error', reject);
    });
    let waiting;
    const zip = new Zip((error, data, final) => {
      if (error) throw error;
      if (!file.write(data)) waiting ??= new Promise((resolve) => file.once('drain', resolve));
      if (final) file.end();
    });
    const entry = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
    zip.add(entry);
    for (const chunk of chunks()) {
      entry.push(chunk);
      if (waiting) {
        await waiting;
        waiting = undefined;
      }
    }
    entry.push(new Uint8Array(0), true);
    zip.end();
    await done;
  },
  yazl: async (chunks, output) => {
    const { ZipFile } = (await import('yazl')).default;
    const zip = new ZipFile();
    const entry = new PassThrough();
    zip.addReadStream(entry, 'xl/worksheets/sheet1.xml');
    zip.end();
    const done = pipeline(zip.outputStream, createWriteStream(output));
    for (const chunk of chunks()) {
      if (!entry.write(chunk)) await new Promise((resolve) => entry.once('drain', resolve));
    }
    entry.end();
    await done;
  },
  'zip-stream': async (chunks, output) => {
    const ZipStream = (await import('zip-stream')).default;
    const zip = new ZipStream({ zlib: { level: 6 } });
    const done = pipeline(zip, createWriteStream(output));
    const entry = new PassThrough();
    const added = new Promise((resolve, reject) =>
      zip.entry(entry, { name: 'xl/worksheets/sheet1.xml' }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    for (const chunk of chunks()) {
      if (!entry.write(chunk)) await new Promise((resolve) => entry.once('drain', resolve));
    }
    entry.end();
    await added;
    zip.finalize();
    await done;
  },
};

/** 64 KiB chunks of rows shaped as the bench's records, written as inline-string cells. */
function* sheetChunks(rows) {
  let text = '';
  for (let row = 2; row <= rows + 1; row += 1) {
    text +=
      `<row r="${row}"><c r="A${row}"><v>${row - 1}</v></c>` +
      `<c r="B${row}" s="3"><v>${46000 + row / 86400}</v></c>` +
      `<c r="C${row}"><v>${(row * 7.31) % 1000}</v></c>` +
      `<c r="D${row}" t="inlineStr"><is><t>category_${row % 10}</t></is></c>` +
      `<c r="E${row}" t="inlineStr"><is><t>${row % 3 ? 'active' : 'inactive'}</t></is></c></row>`;
    if (text.length >= 65_536) {
      yield Buffer.from(text);
      text = '';
    }
  }
  if (text !== '') yield Buffer.from(text);
}

const [engine, rowsText, output] = process.argv.slice(2);
if (engine) {
  const rows = Number(rowsText);
  const startedAt = performance.now();
  await engines[engine](() => sheetChunks(rows), output);
  const seconds = (performance.now() - startedAt) / 1000;
  const { size } = await stat(output);
  const peakRssMegabytes = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ seconds, peakRssMegabytes, bytes: size }));
} else {
  const run = promisify(execFile);
  const folder = await mkdtemp(join(tmpdir(), 'zip-engines-'));
  const script = fileURLToPath(import.meta.url);
  const lines = [
    '| engine | rows | seconds | rows/s | peak RSS MB | output MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  try {
    for (const rows of [100_000, 1_000_000]) {
      for (const name of Object.keys(engines)) {
        let best;
        for (let round = 0; round < 3; round += 1) {
          const path = join(folder, `${name}-${rows}.zip`);
          const { stdout } = await run(process.execPath, [script, name, String(rows), path]);
          const result = JSON.parse(stdout);
          if (!best || result.seconds < best.seconds) best = result;
          await rm(path, { force: true });
        }
        lines.push(
          `| ${name} | ${rows.toLocaleString('en-US')} | ${best.seconds.toFixed(2)} | ${Math.round(rows / best.seconds).toLocaleString('en-US')} | ${best.peakRssMegabytes.toFixed(0)} | ${(best.bytes / 1e6).toFixed(1)} |`,
        );
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  console.log(lines.join('\n'));
}
