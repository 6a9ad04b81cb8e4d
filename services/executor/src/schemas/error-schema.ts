import Type from 'typebox';

/** The one error shape, on every route and status. */
export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String(),
    error: Type.String(),
    message: Type.String(),
    retryAfterSeconds: Type.Optional(Type.Integer()),
    queued: Type.Optional(Type.Integer()),
    maxQueue: Type.Optional(Type.Integer()),
  },
  { $id: 'ExecutorError', description: 'Every error: statusCode, code, error, message' },
);

/** The error schema by reference: the OpenAPI document then names it once, as ExecutorError. */
export const ErrorReference = Type.Ref('ExecutorError', {
  description: 'Every error: statusCode, code, error, message',
});

/** Responses for the error statuses a route can answer with. */
export function errorResponses<const Status extends number>(
  ...statuses: Status[]
): Record<Status, typeof ErrorReference> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorReference])) as Record<
    Status,
    typeof ErrorReference
  >;
}
