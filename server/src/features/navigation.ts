/**
 * Navigation features over a checked document: document links, hover and completion. Each kind of
 * reference contributes a provider (file references, test ids in validation commands); the server asks
 * every provider and merges the answers.
 */
import type { CompletionItem, DocumentLink, Hover, Position } from 'vscode-languageserver-types';
import type { CheckedDocument } from '../check';
import type { DocWorkspace } from '../workspace/workspace';

/** What a provider gets: the document's current check and its prepared workspace (null outside a folder). */
export interface NavigationContext {
  checked: CheckedDocument;
  workspace: DocWorkspace | null;
}

/** One source of links, hovers and completions. Every method is synchronous and must not throw. */
export interface NavigationProvider {
  links(context: NavigationContext): DocumentLink[];
  hover(context: NavigationContext, position: Position): Hover | null;
  completion(context: NavigationContext, position: Position): CompletionItem[] | null;
}

export { COMPLETION_TRIGGERS } from '../protocol';

/** All links of the document. */
export function documentLinks(providers: readonly NavigationProvider[], context: NavigationContext): DocumentLink[] {
  return providers.flatMap((provider) => provider.links(context));
}

/** The first provider's hover at the position. */
export function hoverAt(providers: readonly NavigationProvider[], context: NavigationContext, position: Position): Hover | null {
  for (const provider of providers) {
    const hover = provider.hover(context, position);
    if (hover) return hover;
  }
  return null;
}

/** Completions at the position from the first provider that has any (null: none apply here). */
export function completionsAt(providers: readonly NavigationProvider[], context: NavigationContext, position: Position): CompletionItem[] | null {
  for (const provider of providers) {
    const items = provider.completion(context, position);
    if (items) return items;
  }
  return null;
}
