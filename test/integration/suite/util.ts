// Helpers for the integration tests that run inside the real VS Code extension host
// (code-server via run-code-server.mjs, or desktop VS Code via run-electron.mjs).
// Waiting is event-driven (onDidChangeDiagnostics, any vscode.Event) with a timeout that rejects
// with a message saying what was awaited; no fixed sleeps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Node } from '../../../src/extension/entitiesView';
import type { CorpusLensApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'corpus-lens.corpus-lens';

/** The workspace folder the tests run in: a temp copy of sample/corpus, safe to edit. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder) return folder.uri;
  const fromEnv = process.env.CORPUS_LENS_TEST_WORKSPACE;
  if (fromEnv) return vscode.Uri.file(fromEnv);
  throw new Error('no workspace folder open and CORPUS_LENS_TEST_WORKSPACE is not set');
}

/** Uri of a file inside the test workspace; `name` is relative to the workspace root ("a/b.corpus"). */
export function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...name.split(/[\\/]/).filter(Boolean));
}

/** Relative paths (posix) of workspace files matching a glob, sorted. */
export async function findWorkspaceFiles(glob = '**/*.corpus', max = 1000): Promise<string[]> {
  const uris = await vscode.workspace.findFiles(glob, '**/node_modules/**', max);
  const root = workspaceRoot().fsPath;
  return uris.map((u) => path.relative(root, u.fsPath).split(path.sep).join('/')).sort();
}

/** Opens a workspace file in an editor and returns the document and its editor. */
export async function openDoc(relPath: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(relPath));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

/** Opens an untitled document with the given content and language. */
export async function openUntitled(content: string, language = 'corpus'): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const doc = await vscode.workspace.openTextDocument({ content, language });
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

/** The extension under test, activated; fails clearly when it is not installed. */
export async function activateExtension(): Promise<vscode.Extension<CorpusLensApi>> {
  const ext = vscode.extensions.getExtension<CorpusLensApi>(EXTENSION_ID);
  if (!ext) {
    const ids = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(`extension ${EXTENSION_ID} not found; non-builtin extensions: ${ids.join(', ') || '(none)'}`);
  }
  await ext.activate();
  return ext;
}

/**
 * The mocha hooks of a suite that works on the indexed sample corpus: activates the extension and waits for
 * the index before the first test, closes the editors after each, removes the corpus dictionary
 * (.corpus-lens) at the end. Returns a getter for the extension's API.
 */
export function useIndexedWorkspace(): () => CorpusLensApi {
  let api: CorpusLensApi | undefined;
  before(async () => {
    api = (await activateExtension()).exports;
    await api.indexer.ready;
  });
  afterEach(async () => { await vscode.commands.executeCommand('workbench.action.closeAllEditors'); });
  after(() => { fs.rmSync(workspaceFile('.corpus-lens').fsPath, { recursive: true, force: true }); });
  return () => { if (!api) throw new Error('the extension is not activated yet (use the API inside a test)'); return api; };
}

/** The side panel's rows of one kind under `parent` (the top level when omitted). */
export async function rows<K extends Node['kind']>(api: CorpusLensApi, kind: K, parent?: Node): Promise<Extract<Node, { kind: K }>[]> {
  return (await api.tree.getChildren(parent)).filter((n): n is Extract<Node, { kind: K }> => n.kind === kind);
}

/** Resolves with the first event value satisfying `predicate` (default: any), rejects after timeoutMs. */
export function waitFor<T>(
  event: vscode.Event<T>,
  predicate: (value: T) => boolean = () => true,
  timeoutMs = 15000,
  what = 'event',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let sub: vscode.Disposable | undefined;
    const timer = setTimeout(() => {
      sub?.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    sub = event((value) => {
      let ok = false;
      try {
        ok = predicate(value);
      } catch (err) {
        clearTimeout(timer);
        sub?.dispose();
        reject(err);
        return;
      }
      if (ok) {
        clearTimeout(timer);
        sub?.dispose();
        resolve(value);
      }
    });
  });
}

function describeDiagnostics(diags: readonly vscode.Diagnostic[]): string {
  if (diags.length === 0) return 'none';
  return diags
    .map((d) => `[${typeof d.code === 'object' ? d.code.value : d.code ?? ''}] ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)
    .join('; ');
}

/**
 * Resolves with the diagnostics of `uri` once `predicate` holds for them; checks the current
 * diagnostics first, then re-checks on every onDidChangeDiagnostics event touching `uri`.
 * Rejects after timeoutMs with the last diagnostics seen.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diags: vscode.Diagnostic[]) => boolean,
  timeoutMs = 15000,
): Promise<vscode.Diagnostic[]> {
  const key = uri.toString();
  return new Promise<vscode.Diagnostic[]>((resolve, reject) => {
    let sub: vscode.Disposable | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (err: unknown, diags?: vscode.Diagnostic[]) => {
      if (timer) clearTimeout(timer);
      sub?.dispose();
      if (err) reject(err);
      else resolve(diags!);
    };
    const check = (): boolean => {
      const diags = vscode.languages.getDiagnostics(uri);
      try {
        if (predicate(diags)) {
          finish(undefined, diags);
          return true;
        }
      } catch (err) {
        finish(err);
        return true;
      }
      return false;
    };
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) check();
    });
    if (check()) return;
    timer = setTimeout(() => {
      finish(new Error(
        `timed out after ${timeoutMs} ms waiting for diagnostics on ${uri.fsPath || key}; last seen: ` +
        describeDiagnostics(vscode.languages.getDiagnostics(uri)),
      ));
    }, timeoutMs);
  });
}

/** Diagnostic code as a string (handles the `{ value, target }` form). */
export function diagCode(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' && d.code !== null ? d.code.value : d.code ?? '');
}

/** Re-checks `condition` until it is true, on the given events and on a bounded poll; for state without an event (e.g. Extension.isActive). */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15000, what = 'condition', pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Every file below `dir` with its bytes (hex), for "nothing changed" checks. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    if (e.isFile()) out[path.relative(dir, p)] = fs.readFileSync(p).toString('hex');
  }
  return out;
}

/**
 * Every article of the workspace (absolute path → current text: the open editor's, else the file's decoded
 * as VS Code and the analysis worker decode it, i.e. without a UTF-8 BOM; offsets count from there).
 */
export async function corpusTexts(): Promise<Map<string, string>> {
  const uris = await vscode.workspace.findFiles('**/*.{txt,corpus}', '**/node_modules/**');
  const out = new Map<string, string>();
  for (const u of uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === u.fsPath);
    out.set(u.fsPath, open ? open.getText() : fs.readFileSync(u.fsPath, 'utf8').replace(/^\uFEFF/, ''));
  }
  return out;
}
