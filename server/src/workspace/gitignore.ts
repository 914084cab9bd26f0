/** `.gitignore` rules as the file index applies them, one matcher per `.gitignore` file. */
import ignore, { type Ignore } from 'ignore';

/**
 * One `.gitignore` file's rules, tested against paths relative to its directory. The walk never enters an
 * ignored directory, so a path's parents are known not to be ignored and only the path itself is tested.
 * Fast path for files without `!` rules (order does not matter then): rules without a slash match the
 * basename only, and rules with one are tried only for paths whose first segment they can match.
 */
export class GitignoreMatcher {
  private constructor(
    private readonly full: Ignore | null,
    private readonly basename: Ignore | null,
    private readonly anchored: Ignore | null,
    /** First path segments the anchored rules can match; null when any (a glob in the first segment). */
    private readonly anchoredFirst: Set<string> | null,
  ) {}

  static from(text: string): GitignoreMatcher | null {
    const rules = text
      .split(/\r?\n/)
      .map((line) => line.replace(/(?<!\\)\s+$/, ''))
      .filter((line) => line !== '' && !line.startsWith('#'));
    if (rules.length === 0) return null;
    try {
      if (rules.some((rule) => rule.startsWith('!'))) return new GitignoreMatcher(ignore().add(rules), null, null, null);
      const basenameRules: string[] = [];
      const anchoredRules: string[] = [];
      let anchoredFirst: Set<string> | null = new Set();
      for (const rule of rules) {
        const body = rule.replace(/\/+$/, '');
        if (!body.includes('/')) {
          basenameRules.push(rule);
          continue;
        }
        anchoredRules.push(rule);
        const first = body.replace(/^\//, '').split('/')[0];
        if (anchoredFirst && !/[*?[\\]/.test(first) && first !== '') anchoredFirst.add(first);
        else anchoredFirst = null;
      }
      return new GitignoreMatcher(
        null,
        basenameRules.length > 0 ? ignore().add(basenameRules) : null,
        anchoredRules.length > 0 ? ignore().add(anchoredRules) : null,
        anchoredFirst,
      );
    } catch {
      return null;
    }
  }

  /** 'ignored', 'unignored' (a `!` rule re-included it) or 'none', for `rel` relative to the file's directory. */
  test(rel: string, base: string, isDirectory: boolean): 'ignored' | 'unignored' | 'none' {
    const suffix = isDirectory ? '/' : '';
    if (this.full) {
      const result = this.full.test(rel + suffix);
      return result.ignored ? 'ignored' : result.unignored ? 'unignored' : 'none';
    }
    if (this.basename?.ignores(base + suffix)) return 'ignored';
    if (this.anchored) {
      const slash = rel.indexOf('/');
      const first = slash === -1 ? rel : rel.slice(0, slash);
      if ((this.anchoredFirst === null || this.anchoredFirst.has(first)) && this.anchored.ignores(rel + suffix)) return 'ignored';
    }
    return 'none';
  }
}
