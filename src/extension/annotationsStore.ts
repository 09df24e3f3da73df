/**
 * The host's side of `.corpus-lens/annotations.jsonl` (core/annotations): the user's per-mention decisions and
 * reviewed articles, read from the open editor first and then from disk (nothing in Restricted Mode, as for the
 * dictionary), and written back by one WorkspaceEdit of the whole file (then saved), so VS Code's own undo in that
 * file works too. Each write is kept on a stack that `undo()` walks back. A change tells the worker (through the
 * dictionary reload, which carries the file) and the index re-analyses only the articles whose decisions changed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { annotationPath, Annotations, DecisionType, MentionDecision, decisionAt, parseAnnotations, serialiseAnnotations } from '../core/annotations';
import { ANNOTATIONS_FILE, DICTIONARY_DIR, readDictionaryFile } from '../core/dictionaryFiles';
import { mayWriteInWorkspace, workspaceTrusted } from './trust';

const empty = (): Annotations => ({ decisions: new Map(), reviewed: new Set() });

export class AnnotationsStore implements vscode.Disposable {
  /** read when first asked (a hover, review mode, the index's decisions), not during activation */
  private loaded: { current: Annotations; text: string } | undefined;
  private readonly undoStack: string[] = [];
  private readonly changed = new vscode.EventEmitter<string[]>();
  /** Fires with the annotation paths whose decisions or status changed. */
  readonly onDidChange = this.changed.event;


  /** the folder that holds .corpus-lens (annotation paths are relative to it) */
  get base(): vscode.Uri | undefined { return vscode.workspace.workspaceFolders?.[0]?.uri; }
  get uri(): vscode.Uri | undefined { const b = this.base; return b ? vscode.Uri.joinPath(b, DICTIONARY_DIR, ANNOTATIONS_FILE) : undefined; }

  /** The path an article has in annotations.jsonl, or undefined outside the workspace folder. */
  pathOf(uri: vscode.Uri): string | undefined {
    const base = this.base;
    return base && uri.scheme === 'file' && base.scheme === 'file' ? annotationPath(base.fsPath, uri.fsPath) : undefined;
  }

  private get current(): Annotations { return (this.loaded ??= this.read()).current; }
  get annotations(): Annotations { return this.current; }
  decisionsOf(uri: vscode.Uri): MentionDecision[] { const p = this.pathOf(uri); return (p && this.current.decisions.get(p)) || []; }
  isReviewed(uri: vscode.Uri): boolean { const p = this.pathOf(uri); return !!p && this.current.reviewed.has(p); }
  /** The reviewed articles' files (absolute paths): from the file's statuses, not by asking of every article. */
  reviewedFiles(): string[] {
    const base = this.base;
    if (!base || base.scheme !== 'file') return [];
    return [...this.current.reviewed].map((p) => path.join(base.fsPath, ...p.split('/')));
  }
  /** the decision whose span is exactly [start, end) of this article, if any */
  decisionAt(uri: vscode.Uri, start: number, end: number): MentionDecision | undefined { return this.decisionsOf(uri).find((d) => d.start === start && d.end === end); }

  /** The file as it is now (open editor first when it has unsaved edits), parsed. */
  private read(): { current: Annotations; text: string } {
    const uri = this.uri;
    let text = '';
    if (uri && uri.scheme === 'file' && workspaceTrusted()) {
      // unsaved edits count; a saved file is read from disk (a change on disk reaches it before the open document)
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      text = open?.isDirty ? open.getText() : readDictionaryFile(uri.fsPath) ?? '';
    }
    return { text, current: text ? parseAnnotations(text).annotations : empty() };
  }

  /**
   * Reads the file again; fires with the paths that changed (the first time, with every path in it: what the worker
   * was given at its start is not known here, and it analyses again only the articles whose decisions differ).
   */
  reload(): string[] {
    const next = this.read();
    if (this.loaded && next.text === this.loaded.text) return [];
    const before = this.loaded?.current ?? empty();
    this.loaded = next;
    const paths = changedPaths(before, next.current);
    if (paths.length) this.changed.fire(paths);
    return paths;
  }

  /** A decision for [start, end) of the document (replacing one on the same span). */
  decide(doc: vscode.TextDocument, start: number, end: number, type: DecisionType): Promise<boolean> {
    return this.decideMany([{ doc, start, end, type }]);
  }

  /** Decisions at several places (of one or more articles) as one write: one undo takes them all back. */
  decideMany(places: { doc: vscode.TextDocument; start: number; end: number; type: DecisionType }[]): Promise<boolean> {
    const made = places.flatMap((p) => {
      const key = this.pathOf(p.doc.uri);
      return key ? [decisionAt(key, p.doc.getText(), p.start, p.end, p.type)] : [];
    });
    if (made.length === 0) return Promise.resolve(false);
    return this.update((a) => {
      for (const d of made) {
        const list = (a.decisions.get(d.path) ?? []).filter((x) => !(x.start === d.start && x.end === d.end));
        a.decisions.set(d.path, [...list, d]);
      }
    });
  }

  /** Marks the article reviewed (or not). */
  setReviewed(uri: vscode.Uri, reviewed: boolean): Promise<boolean> {
    const p = this.pathOf(uri);
    if (!p) return Promise.resolve(false);
    return this.update((a) => { if (reviewed) a.reviewed.add(p); else a.reviewed.delete(p); });
  }

  /** Removes one decision (a decision that can no longer be placed, dropped by the user). */
  drop(pathInFile: string, d: { start: number; end: number; text: string }): Promise<boolean> {
    return this.update((a) => {
      const list = (a.decisions.get(pathInFile) ?? []).filter((x) => !(x.start === d.start && x.end === d.end && x.text === d.text));
      if (list.length) a.decisions.set(pathInFile, list); else a.decisions.delete(pathInFile);
    });
  }

  /** Undoes the last write of this session; false when there is none. */
  async undo(): Promise<boolean> {
    const previous = this.undoStack.pop();
    if (previous === undefined) return false;
    return this.write(previous, false);
  }

  get canUndo(): boolean { return this.undoStack.length > 0; }

  private async update(change: (a: Annotations) => void): Promise<boolean> {
    this.reload();
    const next: Annotations = { decisions: new Map([...this.current.decisions].map(([k, v]) => [k, [...v]])), reviewed: new Set(this.current.reviewed) };
    change(next);
    for (const [k, v] of next.decisions) if (!v.length) next.decisions.delete(k);
    const text = serialiseAnnotations(next);
    if (text === this.loaded?.text) return true;
    return this.write(text, true);
  }

  private async write(text: string, record: boolean): Promise<boolean> {
    const uri = this.uri;
    if (!uri || !mayWriteInWorkspace(uri)) return false;
    const edit = new vscode.WorkspaceEdit();
    let doc: vscode.TextDocument | undefined;
    try { await vscode.workspace.fs.stat(uri); doc = await vscode.workspace.openTextDocument(uri); } catch { doc = undefined; }
    const before = doc ? doc.getText() : '';
    if (doc) edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(before.length)), text);
    else { edit.createFile(uri, { ignoreIfExists: true }); edit.insert(uri, new vscode.Position(0, 0), text); }
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    const saved = await (await vscode.workspace.openTextDocument(uri)).save();
    if (!saved) return false;
    if (record) this.undoStack.push(before);
    this.reload();
    return true;
  }

  dispose() { this.changed.dispose(); }
}

/** The paths whose decisions or reviewed status differ between two readings of the file. */
export function changedPaths(a: Annotations, b: Annotations): string[] {
  const out = new Set<string>();
  for (const p of new Set([...a.decisions.keys(), ...b.decisions.keys()])) {
    if (JSON.stringify(a.decisions.get(p) ?? []) !== JSON.stringify(b.decisions.get(p) ?? [])) out.add(p);
  }
  for (const p of a.reviewed) if (!b.reviewed.has(p)) out.add(p);
  for (const p of b.reviewed) if (!a.reviewed.has(p)) out.add(p);
  return [...out].sort();
}
