/**
 * Per-resource settings as the client gives them: `workspace/configuration` when it supports it (cached per
 * URI until a change, with a timeout for clients that never answer), else the initialization options and
 * later `didChangeConfiguration` notifications.
 */
import type { Connection } from 'vscode-languageserver/node';
import { CONFIGURATION_SECTION } from '../protocol';
import { parseSettings, type ServerSettings } from '../settings';
import type { ServerLog } from './log';

const SETTINGS_TIMEOUT_MS = 5_000;

/** Where the server reads its settings from. */
export class SettingsStore {
  /** Whether the client answers `workspace/configuration`. */
  supportsConfiguration = false;
  /** Settings for clients without `workspace/configuration`: initialization options, then didChangeConfiguration. */
  global: ServerSettings = parseSettings(undefined);
  private readonly cache = new Map<string, Promise<ServerSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly log: ServerLog,
  ) {}

  /** The settings that apply to `uri` (a document or a folder). Never rejects. */
  settingsFor(uri: string): Promise<ServerSettings> {
    if (!this.supportsConfiguration) return Promise.resolve(this.global);
    let pending = this.cache.get(uri);
    if (!pending) {
      const request = this.connection.workspace.getConfiguration({ scopeUri: uri, section: CONFIGURATION_SECTION }).then(
        (raw: unknown) => parseSettings(raw),
        (error: unknown) => {
          this.log.error('workspace/configuration', error);
          this.cache.delete(uri);
          return this.global;
        },
      );
      // A client that never answers must not stop checking: fall back to the global settings and ask again next time.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<ServerSettings>((resolveTimeout) => {
        timer = setTimeout(() => {
          this.log.once(`workspace/configuration did not answer within ${SETTINGS_TIMEOUT_MS} ms; using defaults for now.`);
          if (this.cache.get(uri) === pending) this.cache.delete(uri);
          resolveTimeout(this.global);
        }, SETTINGS_TIMEOUT_MS);
      });
      pending = Promise.race([request, timeout]).finally(() => clearTimeout(timer));
      this.cache.set(uri, pending);
    }
    return pending;
  }

  /** A `workspace/didChangeConfiguration` arrived: forget the cache, take the pushed section if there is no pull. */
  changed(params: unknown): void {
    this.cache.clear();
    if (!this.supportsConfiguration) {
      const settings = ((params as { settings?: Record<string, unknown> | null } | null | undefined)?.settings ?? undefined)?.[CONFIGURATION_SECTION];
      if (settings !== undefined) this.global = parseSettings(settings);
    }
  }

  /** A document closed: its settings are asked again when it reopens. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
