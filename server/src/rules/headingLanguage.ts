import type { DocModel } from '../model/types';

/**
 * Whether most of the doc's section headings are written without Latin letters (`## 动机`, `## 変更内容`):
 * the section vocabulary is English, so whether a required section is there cannot be told, and the rules
 * that look for one by its heading stay silent.
 */
export function headingsInUnknownLanguage(model: DocModel): boolean {
  const headings = model.headings.filter((heading) => !heading.pseudo && heading.level >= 2);
  if (headings.length === 0) return false;
  const unreadable = headings.filter((heading) => !/[a-z]{2}/i.test(heading.text.replace(/`[^`]*`/g, ''))).length;
  return unreadable * 2 >= headings.length;
}
