/**
 * Reading referenced files safely and only once: line counts and lines by absolute path, validated by a
 * stat signature (size, mtime, ctime), with clear reasons for the files that are skipped.
 *
 * - Only regular files are read (a FIFO or a device is `not-a-file`; files are opened non-blocking and
 *   re-checked with fstat, so a FIFO swapped in cannot hang a read).
 * - Binary files (a NUL byte in the first 8 KiB) are skipped.
 * - Files up to `maxTextBytes` (2 MiB) are read whole and their text kept in a byte-bounded LRU.
 * - Larger files are never loaded whole: their line count is found by scanning in 1 MiB chunks (up to
 *   `maxScanBytes`, 256 MiB), and a single line by scanning only as far as that line.
 *
 * Path safety is not this module's job: callers pass paths `PathResolver` judged `inside`.
 *
 * Validation: `validate: 'stat'` (default) stats the file on every call (a few microseconds); `'events'`
 * trusts cached entries until `invalidate` is called (the server's file watcher), which is what keeps
 * warm checks cheap.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** Why a file was not read. */
export type SkipReason = 'missing' | 'not-a-file' | 'binary' | 'too-large' | 'unreadable';

/** A file that was not read, and a sentence saying why. */
export interface Skipped {
  ok: false;
  reason: SkipReason;
  message: string;
}

/** What is known about a readable file without keeping its text. */
export interface FileInfo {
  ok: true;
  size: number;
  /** Signature for other caches: changes whenever the file does. */
  signature: string;
  /** Lines as an editor counts them; a final newline does not start another line; an empty file has 0. */
  lineCount: number;
  /** False when the text is not kept because the file is larger than `maxTextBytes`. */
  textAvailable: boolean;
  /** Content id: git's blob id of the bytes (same bytes, same id, whatever the file's times say). */
  contentId: string;
  /** `statKey` of the file as it was stat'ed before these bytes were read. */
  statKey: string;
}

/** The text of a file, split into lines (without line terminators; a trailing `\r` is removed). */
export interface FileText {
  ok: true;
  signature: string;
  text: string;
  lines: string[];
}

/** Options for a file cache. */
export interface FileCacheOptions {
  /** Files larger than this are scanned, not loaded (default 2 MiB). */
  maxTextBytes?: number;
  /** Files larger than this are skipped as too large (default 256 MiB). */
  maxScanBytes?: number;
  /** Total bytes of text kept (default 32 MiB). */
  maxCachedBytes?: number;
  /** 'stat' (default): check the signature on every call; 'events': trust entries until `invalidate`. */
  validate?: 'stat' | 'events';
}

const BINARY_PROBE_BYTES = 8192;
const CHUNK = 1 << 20;
const NONBLOCK = (constants as { O_NONBLOCK?: number }).O_NONBLOCK ?? 0;

interface Entry {
  signature: string;
  info: FileInfo | Skipped;
  text: FileText | null;
}

/**
 * Size, mtime and inode: the stat the CLI cache keeps beside a file's content id (the content is read
 * again only when this moved).
 */
export function statKey(stats: Stats): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
}

/** Stat signature of a file. */
function signatureOf(stats: Stats): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
}

function errorReason(path: string, error: unknown): Skipped {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', message: `${path} does not exist` };
  if (code === 'ELOOP') return { ok: false, reason: 'unreadable', message: `${path} is a symlink loop; skipped` };
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, reason: 'unreadable', message: `${path} cannot be read (permission denied); skipped` };
  if (code === 'EISDIR') return { ok: false, reason: 'not-a-file', message: `${path} is a directory` };
  return { ok: false, reason: 'unreadable', message: `${path} cannot be read (${code ?? String(error)}); skipped` };
}

/** Cached, validated access to the lines of referenced files. */
export class FileCache {
  private readonly entries = new Map<string, Entry>();
  private cachedBytes = 0;
  private readonly maxTextBytes: number;
  private readonly maxScanBytes: number;
  private readonly maxCachedBytes: number;
  private readonly validate: 'stat' | 'events';
  /**
   * When set, every path asked about is added to it (the CLI's cache records which files a doc's findings
   * depend on). Cached answers count too: what matters is what the check asked.
   */
  recorder: Set<string> | null = null;

  constructor(options: FileCacheOptions = {}) {
    this.maxTextBytes = options.maxTextBytes ?? 2 * 1024 * 1024;
    this.maxScanBytes = options.maxScanBytes ?? 256 * 1024 * 1024;
    this.maxCachedBytes = options.maxCachedBytes ?? 32 * 1024 * 1024;
    this.validate = options.validate ?? 'stat';
  }

  /**
   * Records that the findings being made depend on a file read some other way (git's answers about it, a
   * file read directly), so that the recorder's owner (the CLI cache) re-checks when it changes.
   */
  dependOn(absPath: string): void {
    this.recorder?.add(absPath);
  }

  /** Line count and signature of a file, or why it is skipped. Cheap when cached. */
  info(absPath: string): FileInfo | Skipped {
    return this.entry(absPath).info;
  }

  /**
   * The text of a regular text file up to `maxTextBytes`, read without keeping it, splitting its lines or
   * hashing it (a one-pass scan such as the word index), or null. A text already kept is returned as is.
   */
  peekText(absPath: string): string | null {
    const kept = this.entries.get(absPath);
    if (kept?.text && this.validate === 'events') return kept.text.text;
    let fd: number;
    try {
      fd = openSync(absPath, constants.O_RDONLY | NONBLOCK);
    } catch {
      return null;
    }
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile() || stats.size > this.maxTextBytes) return null;
      const bytes = readAll(fd, stats.size);
      return bytes.subarray(0, BINARY_PROBE_BYTES).includes(0) ? null : decode(bytes);
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }

  /** The whole text of a file up to `maxTextBytes`; larger files are `too-large` (use `line`). */
  text(absPath: string): FileText | Skipped {
    const entry = this.entry(absPath);
    if (!entry.info.ok) return entry.info;
    if (entry.text) {
      this.touch(absPath, entry);
      return entry.text;
    }
    if (!entry.info.textAvailable) {
      return { ok: false, reason: 'too-large', message: `${absPath} is larger than ${formatBytes(this.maxTextBytes)}; only line counts and single lines are read` };
    }
    // The text was evicted: read it again (the signature says whether it is still the same file).
    this.entries.delete(absPath);
    const again = this.entry(absPath);
    if (again.text) return again.text;
    return again.info.ok ? { ok: false, reason: 'unreadable', message: `${absPath} changed while being read` } : again.info;
  }

  /** Line `line` (1-based) of a file, or null past the end. Large files are scanned only as far as needed. */
  line(absPath: string, line: number): { ok: true; text: string | null } | Skipped {
    const entry = this.entry(absPath);
    if (!entry.info.ok) return entry.info;
    if (line < 1 || line > entry.info.lineCount) return { ok: true, text: null };
    if (entry.info.textAvailable) {
      const text = this.text(absPath);
      if (!text.ok) return text;
      return { ok: true, text: text.lines[line - 1] ?? null };
    }
    return this.scanLine(absPath, line);
  }

  /** Signature of a readable file (for caches built on top of this one), or null when it is skipped. */
  signature(absPath: string): string | null {
    const info = this.info(absPath);
    return info.ok ? info.signature : null;
  }

  /** Forgets one file, or everything. */
  invalidate(absPath?: string): void {
    if (absPath === undefined) {
      this.entries.clear();
      this.cachedBytes = 0;
      return;
    }
    const entry = this.entries.get(absPath);
    if (entry?.text) this.cachedBytes -= entry.text.text.length;
    this.entries.delete(absPath);
  }

  /**
   * The stat key and content id of a file as this cache read it, without touching the disk; null when it
   * has not read the file (or could not).
   */
  readStamp(absPath: string): { stat: string; contentId: string } | null {
    const info = this.entries.get(absPath)?.info;
    return info?.ok ? { stat: info.statKey, contentId: info.contentId } : null;
  }

  /** True when entries are trusted until `invalidate` (no stat per read): a run over a snapshot, or a watched tree. */
  get trustsEntries(): boolean {
    return this.validate === 'events';
  }

  /** Bytes of text currently kept (approximately: UTF-16 code units). */
  get keptBytes(): number {
    return this.cachedBytes;
  }

  private entry(absPath: string): Entry {
    this.recorder?.add(absPath);
    const cached = this.entries.get(absPath);
    if (cached && this.validate === 'events') return cached;
    let stats: Stats | undefined;
    let failure: unknown = null;
    try {
      // An absent file is common (a configuration file looked up for every command): no exception for it.
      stats = statSync(absPath, { throwIfNoEntry: false });
    } catch (error) {
      failure = error;
    }
    if (stats === undefined) {
      if (cached) this.invalidate(absPath);
      const unreadable: Entry = { signature: '', info: errorReason(absPath, failure ?? { code: 'ENOENT' }), text: null };
      // Trusted entries include absent files (a config file looked up for every command): an event brings them back.
      if (this.validate === 'events') this.entries.set(absPath, unreadable);
      return unreadable;
    }
    const signature = signatureOf(stats);
    if (cached && cached.signature === signature) return cached;
    if (cached) this.invalidate(absPath);
    const entry = this.load(absPath, stats, signature);
    this.entries.set(absPath, entry);
    if (entry.text) {
      this.cachedBytes += entry.text.text.length;
      this.evict(absPath);
    }
    return entry;
  }

  private load(absPath: string, stats: Stats, signature: string): Entry {
    const skip = (reason: SkipReason, message: string): Entry => ({ signature, info: { ok: false, reason, message }, text: null });
    if (!stats.isFile()) return skip('not-a-file', `${absPath} is not a regular file${stats.isDirectory() ? ' (a directory)' : ''}; skipped`);
    if (stats.size > this.maxScanBytes) return skip('too-large', `${absPath} is ${formatBytes(stats.size)}, over the ${formatBytes(this.maxScanBytes)} limit; skipped`);
    let fd: number;
    try {
      fd = openSync(absPath, constants.O_RDONLY | NONBLOCK);
    } catch (error) {
      return { signature, info: errorReason(absPath, error), text: null };
    }
    try {
      const fstats = fstatSync(fd);
      if (!fstats.isFile()) return skip('not-a-file', `${absPath} is not a regular file; skipped`);
      if (fstats.size <= this.maxTextBytes) {
        const bytes = readAll(fd, fstats.size);
        const read = bytes.length;
        if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) return skip('binary', `${absPath} is a binary file; skipped`);
        const text = decode(bytes);
        const lines = splitLines(text);
        const contentId = blobHash(bytes.length).update(bytes).digest('hex');
        return {
          signature,
          info: { ok: true, size: read, signature, lineCount: lines.length, textAvailable: true, contentId, statKey: statKey(stats) },
          text: { ok: true, signature, text, lines },
        };
      }
      // Large: probe for binary, then count newlines chunk by chunk.
      const buffer = Buffer.allocUnsafe(CHUNK);
      let position = 0;
      let newlines = 0;
      let last = -1;
      const hash = blobHash(fstats.size);
      for (;;) {
        const n = readSync(fd, buffer, 0, CHUNK, position);
        if (n === 0) break;
        hash.update(buffer.subarray(0, n));
        if (position === 0 && buffer.subarray(0, Math.min(n, BINARY_PROBE_BYTES)).includes(0)) return skip('binary', `${absPath} is a binary file; skipped`);
        for (let at = buffer.indexOf(10, 0); at !== -1 && at < n; at = buffer.indexOf(10, at + 1)) newlines++;
        last = buffer[n - 1];
        position += n;
        if (position > this.maxScanBytes) return skip('too-large', `${absPath} grew past the ${formatBytes(this.maxScanBytes)} limit; skipped`);
      }
      const lineCount = position === 0 ? 0 : newlines + (last === 10 ? 0 : 1);
      // A file that grew while being read gets an id no blob has: it will not match anything cached.
      const contentId = position === fstats.size ? hash.digest('hex') : `changed:${signature}`;
      return { signature, info: { ok: true, size: position, signature, lineCount, textAvailable: false, contentId, statKey: statKey(stats) }, text: null };
    } catch (error) {
      return { signature, info: errorReason(absPath, error), text: null };
    } finally {
      closeSync(fd);
    }
  }

  /** Reads only as far as line `line` of a large file. */
  private scanLine(absPath: string, line: number): { ok: true; text: string | null } | Skipped {
    let fd: number;
    try {
      fd = openSync(absPath, constants.O_RDONLY | NONBLOCK);
    } catch (error) {
      return errorReason(absPath, error);
    }
    try {
      if (!fstatSync(fd).isFile()) return { ok: false, reason: 'not-a-file', message: `${absPath} is not a regular file; skipped` };
      const buffer = Buffer.allocUnsafe(CHUNK);
      let position = 0;
      let current = 1;
      const parts: Buffer[] = [];
      let collected = 0;
      for (;;) {
        const n = readSync(fd, buffer, 0, CHUNK, position);
        if (n === 0) break;
        let from = 0;
        while (current < line) {
          const at = buffer.indexOf(10, from);
          if (at === -1 || at >= n) break;
          current++;
          from = at + 1;
        }
        if (current === line) {
          const end = buffer.indexOf(10, from);
          const stop = end === -1 || end >= n ? n : end;
          // Keep at most 1 MiB of one line.
          if (collected < CHUNK) {
            parts.push(Buffer.from(buffer.subarray(from, Math.min(stop, from + CHUNK - collected))));
            collected += stop - from;
          }
          if (stop < n) break;
        }
        position += n;
        if (position > this.maxScanBytes) break;
      }
      if (current !== line) return { ok: true, text: null };
      return { ok: true, text: decode(Buffer.concat(parts)).replace(/\r$/, '') };
    } catch (error) {
      return errorReason(absPath, error);
    } finally {
      closeSync(fd);
    }
  }

  private touch(absPath: string, entry: Entry): void {
    this.entries.delete(absPath);
    this.entries.set(absPath, entry);
  }

  /** Drops the text (not the line counts) of the least recently used files until under the byte budget. */
  private evict(keep: string): void {
    if (this.cachedBytes <= this.maxCachedBytes) return;
    for (const [path, entry] of this.entries) {
      if (this.cachedBytes <= this.maxCachedBytes) break;
      if (path === keep || !entry.text) continue;
      this.cachedBytes -= entry.text.text.length;
      entry.text = null;
    }
  }
}

/** A hash started as git starts a blob's id (`blob <size>\0`); feed it the bytes. */
function blobHash(size: number): Hash {
  return createHash('sha1').update(`blob ${size}\0`);
}

/** Git's blob id of `bytes`: the content id the CLI cache keys files by. */
export function contentIdOf(bytes: Uint8Array): string {
  return blobHash(bytes.length).update(bytes).digest('hex');
}

/** UTF-8 with a BOM removed; invalid sequences become U+FFFD. */
/** Up to `size` bytes of an open file from its start (fewer when it shrank while being read). */
function readAll(fd: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

function decode(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Lines without terminators; a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
