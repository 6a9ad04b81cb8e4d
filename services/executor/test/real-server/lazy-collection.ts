/**
 * Whether this Node lets garbage build up further before collecting it than Node 20 does. On
 * Node 24 (2 cores, CI), streaming a million NDJSON rows grew the executor's RSS by 145–187 MB
 * where Node 20 grew it by 73 MB in the same run, and 1.95 M rows by 195 MB: the RSS bounds of
 * the million-row tests are calibrated per runtime, the strict ones on Node 20.
 */
export const collectsLazily = Number(process.versions.node.split('.')[0]) >= 22;
