import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DrainingError } from '../errors.js';
import type { ExecutorLifecycle } from '../lifecycle.js';
import { errorResponses } from '../schemas/error-schema.js';

export interface ReadyRoutesOptions {
  lifecycle: ExecutorLifecycle;
}

/** For load balancers: 200 while the executor takes work, 503 once it drains. */
export const readyRoutes: FastifyPluginAsyncTypebox<ReadyRoutesOptions> = async (
  app,
  { lifecycle },
) => {
  app.get(
    '/ready',
    {
      schema: {
        summary:
          'Readiness: 200 while accepting work; 503 while draining or while the cluster queue is unreachable',
        response: { 200: Type.Object({ status: Type.Literal('ready') }), ...errorResponses(503) },
      },
    },
    async () => {
      if (lifecycle.draining) throw new DrainingError();
      const unready = lifecycle.unreadiness();
      if (unready) throw unready;
      return { status: 'ready' as const };
    },
  );
};
