import { build } from './app.js';
import { loadConfig } from './config.js';
import { createLifecycle } from './lifecycle.js';
import { shutDown } from './shut-down.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    // Before the logger exists: one plain line a person can act on.
    console.error(`executor: ${(error as Error).message}`);
    process.exit(1);
  }

  const lifecycle = createLifecycle();
  const app = await build({ config, lifecycle });
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, graceSeconds: config.EXPORT_SHUTDOWN_TIMEOUT_S }, 'executor draining');
    process.exit(
      await shutDown({ app, lifecycle, timeoutSeconds: config.EXPORT_SHUTDOWN_TIMEOUT_S }),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  await app.listen({
    host: config.HOST,
    port: config.PORT,
    listenTextResolver: (address) => `executor listening on ${address}`,
  });
}

main().catch((error: unknown) => {
  // Our own coded errors (Redis unreachable, say) say what to fix; anything else needs its stack.
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('EXECUTOR_')) {
    console.error(`executor: failed to start: ${(error as Error).message} (${code})`);
  } else {
    console.error('executor: failed to start:', error);
  }
  process.exit(1);
});
