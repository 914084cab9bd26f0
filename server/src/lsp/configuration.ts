/**
 * Workspace folders and what a check depends on besides the text: each folder's `.docplan.json` (the
 * editor's text while it is open; its problems published on it), the settings, and the folder's workspace
 * services. `generation` counts changes to any of them, so that checks of an older generation are stale.
 */
import { resolve as resolvePath } from 'node:path';
import { URI } from 'vscode-uri';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckOptions } from '../check';
import { parseConfigText } from '../config/config';
import { CONFIG_FILE_NAME, readConfigFile, resolveConfig, type LoadedConfigFile } from '../config/load';
import { packageReadmeUri } from '../docsLink';
import { configProblemsToDiagnostics } from '../features/diagnostics';
import { locate, toFolder, type Folder } from '../folders';
import type { DocPlanInitializationOptions } from '../protocol';
import { RULE_IDS } from '../rules/index';
import type { ServerSettings } from '../settings';
import type { FileChange } from '../workspace/fileIndex';
import { FolderWorkspace } from '../workspace/workspace';
import type { ServerLog } from './log';
import type { SettingsStore } from './settingsStore';

/** The README installed with DocPlan, linked from every diagnostic. */
const DEFAULT_DOCS_BASE = packageReadmeUri();

/** True for a `.docplan.json` URI. */
export function isConfigUri(uri: string): boolean {
  return /(^|\/)\.docplan\.json$/i.test(uri.split(/[?#]/)[0]);
}

/** Everything a check of one document depends on besides its text. */
export interface DocumentContext {
  settings: ServerSettings;
  options: CheckOptions;
  docsBase: string | null;
  generation: number;
}

/** The folders, their configuration files and workspace services. */
export class FolderConfiguration {
  folders: Folder[] = [];
  initOptions: DocPlanInitializationOptions = {};
  /** Bumped whenever settings, a `.docplan.json` or a file the docs read change. */
  generation = 0;
  private readonly configs = new Map<string, LoadedConfigFile>();
  /** Config URIs with diagnostics published, so that they can be cleared once fixed. */
  private readonly configDiagnostics = new Map<string, number>();
  /** Each file-system folder's services (index, symbols, git, tests), created on first use. */
  private readonly workspaces = new Map<string, FolderWorkspace>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsStore,
    private readonly log: ServerLog,
  ) {}

  /** Sets the folders from `initialize`. */
  setFolders(uris: readonly string[]): void {
    this.folders = uris.map(toFolder).filter((folder): folder is Folder => folder !== null);
  }

  /** Applies a `workspace/didChangeWorkspaceFolders` event. */
  changeFolders(added: readonly string[], removed: readonly string[]): void {
    const gone = new Set(removed);
    this.folders = this.folders.filter((folder) => !gone.has(folder.uri));
    for (const uri of added) {
      const folder = toFolder(uri);
      if (folder && !this.folders.some((existing) => existing.uri === folder.uri)) this.folders.push(folder);
    }
  }

  /** The open document of a folder's `.docplan.json`, if the editor holds it. */
  private openConfigDocument(folder: Folder): TextDocument | undefined {
    return this.documents.all().find((document) => isConfigUri(document.uri) && locate(document.uri, [folder]).path === CONFIG_FILE_NAME);
  }

  /** True when `uri` is the `.docplan.json` at the root of a folder. */
  isFolderConfig(uri: string): boolean {
    return this.folders.some((folder) => locate(uri, [folder]).path === CONFIG_FILE_NAME);
  }

  private configUriOf(folder: Folder, file: LoadedConfigFile): string {
    const open = this.openConfigDocument(folder);
    if (open) return open.uri;
    return folder.scheme === 'file' ? URI.file(file.path).toString() : `${folder.uri.replace(/\/$/, '')}/${CONFIG_FILE_NAME}`;
  }

  /** A folder's `.docplan.json` (the editor's text when it is open), cached until it changes. */
  folderConfig(folder: Folder): LoadedConfigFile {
    const cached = this.configs.get(folder.uri);
    if (cached) return cached;
    let file: LoadedConfigFile;
    const open = this.openConfigDocument(folder);
    if (open) {
      file = { path: resolvePath(folder.fsPath, CONFIG_FILE_NAME), exists: true, ...parseConfigText(open.getText(), RULE_IDS) };
    } else if (folder.scheme === 'file') {
      file = readConfigFile(folder.fsPath);
    } else {
      file = { path: CONFIG_FILE_NAME, exists: false, input: {}, problems: [] };
    }
    this.configs.set(folder.uri, file);
    this.publishConfigProblems(folder, file);
    return file;
  }

  /** Loads every folder's configuration (publishing its problems right away, not only once a doc is opened). */
  loadAll(): void {
    for (const folder of this.folders) this.folderConfig(folder);
  }

  private publishConfigProblems(folder: Folder, file: LoadedConfigFile): void {
    const uri = this.configUriOf(folder, file);
    const diagnostics = configProblemsToDiagnostics(file.problems);
    if (diagnostics.length === 0 && !this.configDiagnostics.get(uri)) return;
    for (const problem of file.problems) this.log.warn(`${uri}: ${problem.message}`);
    this.configDiagnostics.set(uri, diagnostics.length);
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }

  /** Forgets every folder configuration and reloads them (publishing or clearing their problems). */
  reload(): void {
    this.configs.clear();
    this.generation++;
    this.loadAll();
    for (const uri of [...this.configDiagnostics.keys()]) {
      // A folder that was removed, or a config URI that changed spelling: clear what was published there.
      if (!this.folders.some((folder) => this.configUriOf(folder, this.configs.get(folder.uri)!) === uri) && this.configDiagnostics.get(uri)) {
        this.configDiagnostics.set(uri, 0);
        void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      }
    }
  }

  /** The services of a file-system folder, created on first use; null for other schemes. */
  workspaceOf(folder: Folder): FolderWorkspace | null {
    if (folder.scheme !== 'file') return null;
    let workspace = this.workspaces.get(folder.uri);
    if (!workspace) {
      workspace = new FolderWorkspace(folder.fsPath, { validate: 'events', git: this.initOptions.workspaceTrusted !== false });
      this.workspaces.set(folder.uri, workspace);
    }
    return workspace;
  }

  /** Tells the folder services about changed files; true when a folder with services was touched. */
  filesChanged(changes: readonly { uri: string; change: FileChange }[]): boolean {
    let touched = false;
    for (const { uri, change } of changes) {
      const { folder } = locate(uri, this.folders);
      const workspace = folder ? this.workspaces.get(folder.uri) : undefined;
      if (!workspace || isConfigUri(uri)) continue;
      workspace.fileChanged(URI.parse(uri).fsPath, change);
      touched = true;
    }
    return touched;
  }

  /**
   * The context of a check of `uri`. `settingsScope` is the URI the settings are asked for (the document's,
   * or its folder's for the background check of files that are not open).
   */
  async documentContext(uri: string, settingsScope = uri): Promise<DocumentContext> {
    // Tag with the generation from before the wait: a change that lands meanwhile makes this context stale.
    const startGeneration = this.generation;
    const settings = await this.settings.settingsFor(settingsScope);
    for (const problem of settings.problems) this.log.once(problem);
    const { folder, path } = locate(uri, this.folders);
    const file = folder ? this.folderConfig(folder) : null;
    const resolved = resolveConfig(file, settings.overrides);
    // Problems of the file are diagnostics on it; the rest came from the settings.
    for (const problem of resolved.problems.slice(file?.problems.length ?? 0)) this.log.once(`settings: ${problem.message}`);
    return {
      settings,
      options: { config: resolved.config, path, maxDocMs: settings.maxDocMs, workspace: folder && path !== null ? (this.workspaceOf(folder)?.view(URI.parse(uri).fsPath) ?? null) : null },
      docsBase: settings.docsBaseUrl ?? this.initOptions.docsBaseUrl ?? DEFAULT_DOCS_BASE,
      generation: startGeneration,
    };
  }
}
