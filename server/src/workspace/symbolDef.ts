/** What a symbol definition is, shared by the index (symbols.ts) and its two extractors. */

/** What kind of thing a definition is. */
export type SymbolKind =
  | 'class'
  | 'function'
  | 'method'
  | 'interface'
  | 'type'
  | 'enum'
  | 'struct'
  | 'trait'
  | 'module'
  | 'variable'
  | 'field'
  | 'macro';

/** One definition. Lines are 1-based. */
export interface SymbolDef {
  name: string;
  /** Containers and name joined with `.` (`FrayContext.run`, `Ctx.Run`, `outer.inner`). */
  qualifiedName: string;
  kind: SymbolKind;
  /** Line of the name. */
  line: number;
  /** First line of the definition, decorators and attributes included. */
  startLine: number;
  /** Last line of the definition. */
  endLine: number;
}
