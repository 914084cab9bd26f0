/**
 * Workspace folders: which folder a document belongs to (the longest matching path prefix) and its path
 * relative to that folder, with forward slashes. Pure: URIs in, strings out.
 */
import { URI } from 'vscode-uri';

/** A workspace folder as the server keeps it. */
export interface Folder {
  /** The folder's URI as the client sent it. */
  uri: string;
  /** The URI path with a trailing slash, for prefix tests. */
  prefix: string;
  scheme: string;
  authority: string;
  /** File-system path (meaningful for `file:` folders). */
  fsPath: string;
}

/** Case-insensitive paths on Windows and macOS default file systems; exact elsewhere. */
const CASE_INSENSITIVE = process.platform === 'win32' || process.platform === 'darwin';

function comparable(path: string): string {
  return CASE_INSENSITIVE ? path.toLowerCase() : path;
}

/** Parses a folder URI, or null when it is not a URI. */
export function toFolder(uri: string): Folder | null {
  try {
    const parsed = URI.parse(uri, true);
    const path = parsed.path.endsWith('/') ? parsed.path : `${parsed.path}/`;
    return { uri, prefix: comparable(path), scheme: parsed.scheme, authority: parsed.authority, fsPath: parsed.fsPath };
  } catch {
    return null;
  }
}

/** The folder holding `documentUri` (longest prefix wins) and the document's folder-relative path. */
export function locate(documentUri: string, folders: readonly Folder[]): { folder: Folder | null; path: string | null } {
  let parsed: URI;
  try {
    parsed = URI.parse(documentUri, true);
  } catch {
    return { folder: null, path: null };
  }
  const docPath = comparable(parsed.path);
  let best: Folder | null = null;
  for (const folder of folders) {
    if (folder.scheme !== parsed.scheme || folder.authority.toLowerCase() !== parsed.authority.toLowerCase()) continue;
    if (!docPath.startsWith(folder.prefix)) continue;
    if (!best || folder.prefix.length > best.prefix.length) best = folder;
  }
  if (!best) return { folder: null, path: null };
  const relative = parsed.path.slice(best.prefix.length);
  return { folder: best, path: relative.length > 0 ? relative : null };
}
