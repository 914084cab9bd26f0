/** Which tree-sitter grammars a validation command's runner needs: those of the test files it reads. */
import type { GrammarId } from '../workspace/grammars';
import { analyzeCommand, type CommandOptions, type RunnerId } from './command';

const SCRIPT_GRAMMARS: readonly GrammarId[] = ['javascript', 'typescript', 'tsx'];
/** The grammars of the test files each runner reads. */
const RUNNER_GRAMMARS: Readonly<Record<RunnerId, readonly GrammarId[]>> = {
  pytest: ['python'],
  jest: SCRIPT_GRAMMARS,
  vitest: SCRIPT_GRAMMARS,
  'node-test': SCRIPT_GRAMMARS,
  mocha: SCRIPT_GRAMMARS,
  go: ['go'],
  cargo: ['rust'],
};

/** The tree-sitter grammars that checking these commands needs: those of their runners' test files. */
export function grammarsOfCommands(texts: Iterable<string>, options: CommandOptions = {}): Set<GrammarId> {
  const grammars = new Set<GrammarId>();
  for (const text of new Set(texts)) {
    const analysis = analyzeCommand(text, options);
    if (analysis.status !== 'ok') continue;
    for (const invocation of analysis.invocations) for (const grammar of RUNNER_GRAMMARS[invocation.runner]) grammars.add(grammar);
  }
  return grammars;
}
