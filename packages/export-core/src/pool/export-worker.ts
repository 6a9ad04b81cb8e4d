// The worker thread's entry: piscina calls the default export, or another by its name.
export { inspectJsonTask } from './inspect-json-task.js';
export { default } from './run-export-task.js';
export { spoolRecordsTask } from './spool-records-task.js';
export { workerLoadedTask } from './worker-loaded-task.js';
