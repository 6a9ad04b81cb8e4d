import packageJson from '../package.json' with { type: 'json' };

export const executorVersion: string = packageJson.version;
