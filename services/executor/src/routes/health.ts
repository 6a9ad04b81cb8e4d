import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { executorVersion } from '../version.js';

const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeSeconds: Type.Number({ minimum: 0 }),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    { schema: { summary: 'Liveness', response: { 200: HealthResponse } } },
    async () => ({
      status: 'ok' as const,
      version: executorVersion,
      uptimeSeconds: Math.round(process.uptime() * 1000) / 1000,
    }),
  );
};
