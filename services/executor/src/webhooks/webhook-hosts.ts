/**
 * The hosts a callbackUrl may name (EXPORT_WEBHOOK_HOSTS): `hooks.example.com` admits any port
 * of that host, `hooks.example.com:8443` that port only. Names are compared as URLs normalise
 * them (lowercase, IPv6 in brackets); no wildcards, so the list says exactly where the executor
 * may send requests.
 */
export interface WebhookHosts {
  readonly entries: readonly string[];
  admits(url: URL): boolean;
}

export function webhookHostsOf(entries: readonly string[]): WebhookHosts {
  const allowed = entries.map((entry) => {
    // Parsed as a URL's authority, so `Hooks.Example.com` and `[::1]:80` read as a URL's would.
    const url = new URL(`http://${entry}`);
    return { hostname: url.hostname, port: entry.match(/:(\d+)$/)?.[1] };
  });
  return {
    entries,
    admits(url) {
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      return allowed.some(
        (host) => host.hostname === url.hostname && (host.port === undefined || host.port === port),
      );
    },
  };
}

/** `a.example.com,b.example.com:8443` as its entries; empty when unset. */
export function parseWebhookHosts(value: string | undefined): string[] {
  return value ? value.split(',').map((entry) => entry.trim()) : [];
}
