/**
 * What a .gitignore rule becomes in a .dockerignore, whose patterns are anchored at the root of
 * the build context: `dist/` is `**\/dist`, `/exports/` is `exports`, `*.log` is `**\/*.log`,
 * and a rule with a slash inside stays where it is.
 */
export function dockerIgnoreFormOf(gitIgnoreRule: string): string {
  const rule = gitIgnoreRule.replace(/\/$/, '');
  if (rule.startsWith('/')) return rule.slice(1);
  return rule.includes('/') ? rule : `**/${rule}`;
}

/** The rules of an ignore file: comments and blank lines left out. */
export function ignoreRules(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
