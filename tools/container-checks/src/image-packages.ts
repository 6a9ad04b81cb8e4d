import { podman } from './podman.js';

// Run inside the image: every package pnpm deploy put in its virtual store, as name@version.
const listPackages = `
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const store = '/app/node_modules/.pnpm';
const found = new Set();
for (const entry of readdirSync(store)) {
  const modules = store + '/' + entry + '/node_modules';
  if (entry === 'node_modules' || !existsSync(modules)) continue;
  for (const name of readdirSync(modules)) {
    const paths = name.startsWith('@')
      ? readdirSync(modules + '/' + name).map((inner) => modules + '/' + name + '/' + inner)
      : [modules + '/' + name];
    for (const path of paths) {
      if (!existsSync(path + '/package.json')) continue;
      const manifest = JSON.parse(readFileSync(path + '/package.json', 'utf8'));
      found.add(manifest.name + '@' + manifest.version);
    }
  }
}
console.log(JSON.stringify([...found].sort()));
`;

/**
 * The packages installed in the image, as `name@version`. Symlinks to a package's dependencies
 * sit beside it in each entry of the virtual store, so every installed package is found
 * (several times, counted once).
 */
export async function imagePackages(image: string): Promise<string[]> {
  const output = await podman([
    'run',
    '--rm',
    '--network',
    'host',
    '--entrypoint',
    'node',
    image,
    '--eval',
    listPackages,
  ]);
  return JSON.parse(output) as string[];
}
