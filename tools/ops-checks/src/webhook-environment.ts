/**
 * The variables that turn on completion webhooks, so the executor exposes their family. No job
 * names a callbackUrl, so nothing is ever sent to the host listed.
 */
export function webhookEnvironment(): Record<string, string> {
  return {
    EXPORT_WEBHOOK_HOSTS: 'hooks.example.invalid',
    EXPORT_WEBHOOK_SECRET: 'ops-checks-webhook-secret-0123456789',
  };
}
