type Validate = (this: unknown) => void;

interface Seen {
  path: string;
  target: Record<string, unknown>;
  read: Set<string>;
  /** The validator listed the keys (a map, such as labels): any key is known. */
  listed: boolean;
}

/**
 * The fields of `manifest` that a schema's validator never looked at: fields the schema does
 * not have. The validators of kubernetes-models, compiled from the Kubernetes OpenAPI schemas,
 * accept unknown fields (as the API server does, with a warning at most), so a misspelt
 * `livenessProbes` would pass; this runs the validator on a copy that records what it reads. An
 * object the validator never opened (free-form in its schema) is not judged. Returns JSON
 * pointers, sorted.
 */
export function unknownFields(validate: Validate, manifest: unknown): string[] {
  const seen: Seen[] = [];
  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const record: Seen = {
      path,
      target: value as Record<string, unknown>,
      read: new Set(),
      listed: false,
    };
    if (!Array.isArray(value)) seen.push(record);
    return new Proxy(value, {
      get(target, key, receiver) {
        const child = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return child;
        record.read.add(key);
        return Object.hasOwn(target, key) ? wrap(child, `${path}/${key}`) : child;
      },
      has(target, key) {
        if (typeof key === 'string') record.read.add(key);
        return Reflect.has(target, key);
      },
      getOwnPropertyDescriptor(target, key) {
        if (typeof key === 'string') record.read.add(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys(target) {
        record.listed = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  try {
    validate.call(wrap(manifest, ''));
  } catch {
    // Type errors are the validator's to report; this only looks for fields it did not know.
  }
  return seen
    .filter((record) => !record.listed && record.read.size > 0)
    .flatMap((record) =>
      Object.keys(record.target)
        .filter((key) => !record.read.has(key))
        .map((key) => `${record.path}/${key}`),
    )
    .sort();
}
