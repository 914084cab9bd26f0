/**
 * pytest's `-k` expressions: `and`/`or`/`not`/parentheses over identifiers, each matched as a
 * case-insensitive substring of a test's names (pytest's `KeywordMatcher`), evaluated in three values so
 * that names DocPlan cannot know (non-literal parameter ids) leave the answer open.
 */

/** A parsed `-k` expression. */
export type Expr = { kind: 'ident'; value: string } | { kind: 'not'; expr: Expr } | { kind: 'and' | 'or'; left: Expr; right: Expr } | { kind: 'true' };

/** Parses a pytest `-k` expression (pytest's grammar); throws on a syntax error. */
export function parseKeywordExpression(input: string): Expr {
  const tokens = [...input.matchAll(/\s*(\(|\)|[\w:+\-.[\]\\/]+|\S)/g)].map((m) => m[1]);
  let position = 0;
  const peek = () => tokens[position];
  const expression = (): Expr => {
    let left = conjunction();
    while (peek() === 'or') {
      position++;
      left = { kind: 'or', left, right: conjunction() };
    }
    return left;
  };
  const conjunction = (): Expr => {
    let left = negation();
    while (peek() === 'and') {
      position++;
      left = { kind: 'and', left, right: negation() };
    }
    return left;
  };
  const negation = (): Expr => {
    const token = peek();
    if (token === 'not') {
      position++;
      return { kind: 'not', expr: negation() };
    }
    if (token === '(') {
      position++;
      const inner = expression();
      if (peek() !== ')') throw new Error(`expected ")" in -k expression "${input}"`);
      position++;
      return inner;
    }
    if (token === undefined || token === ')' || token === 'and' || token === 'or' || !/^[\w:+\-.[\]\\/]+$/.test(token)) throw new Error(`unexpected ${token === undefined ? 'end' : `"${token}"`} in -k expression "${input}"`);
    position++;
    return { kind: 'ident', value: token };
  };
  if (tokens.length === 0) return { kind: 'true' };
  const result = expression();
  if (position !== tokens.length) throw new Error(`unexpected "${tokens[position]}" in -k expression "${input}"`);
  return result;
}

/** Kleene three-valued evaluation: `null` means "depends on names we cannot know". */
export function evaluateKeyword(expr: Expr, names: string[], unknownNames: boolean): boolean | null {
  switch (expr.kind) {
    case 'true':
      return true;
    case 'ident': {
      const wanted = expr.value.toLowerCase();
      if (names.some((name) => name.toLowerCase().includes(wanted))) return true;
      // An identifier could sit inside a parameter id we cannot compute, unless it reads as a test or class
      // name (`test_x`, `TestX`): those are aimed at names, which are all known.
      return unknownNames && !/^test/i.test(expr.value) ? null : false;
    }
    case 'not': {
      const inner = evaluateKeyword(expr.expr, names, unknownNames);
      return inner === null ? null : !inner;
    }
    case 'and': {
      const left = evaluateKeyword(expr.left, names, unknownNames);
      const right = evaluateKeyword(expr.right, names, unknownNames);
      if (left === false || right === false) return false;
      return left === null || right === null ? null : true;
    }
    case 'or': {
      const left = evaluateKeyword(expr.left, names, unknownNames);
      const right = evaluateKeyword(expr.right, names, unknownNames);
      if (left === true || right === true) return true;
      return left === null || right === null ? null : false;
    }
  }
}

/** The identifiers an expression names, in order. */
export function identifiers(expr: Expr): string[] {
  switch (expr.kind) {
    case 'ident':
      return [expr.value];
    case 'not':
      return identifiers(expr.expr);
    case 'and':
    case 'or':
      return [...identifiers(expr.left), ...identifiers(expr.right)];
    default:
      return [];
  }
}
