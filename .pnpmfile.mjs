// bullmq lists `pg` as an optional peer for its PostgreSQL backend, which it loads only when asked
// for it; the executor uses Redis. Without this, the executor's devDependency `pg` (its PostgreSQL
// round-trip tests) is linked in as bullmq's peer, and `pnpm deploy --prod` ships it in the image.
export const hooks = {
  readPackage(manifest) {
    if (manifest.name === 'bullmq') {
      delete manifest.peerDependencies?.pg;
      delete manifest.peerDependenciesMeta?.pg;
    }
    return manifest;
  },
};
