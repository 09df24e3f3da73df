/**
 * The host's side of `.corpus-lens/annotations.jsonl` (core/annotations): the user's per-mention decisions and
 * reviewed articles, read from the open editor first and then from disk (nothing in Restricted Mode, as for the
 * dictionary), and written back by one WorkspaceEdit of the whole file (then saved), so VS Code's own undo in that
 * file works too. Each write is kept on a stack that `undo()` walks back. A change tells the worker (through the
 * dictionary reload, which carries the file) and the index re-analyses only the articles whose decisions changed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Annotations, DecisionType, MentionDecision, decisionAt, parseAnnotations, serialiseAnnotations } from '../core/annotations';
import { ANNOTATIONS_FILE, DICTIONARY_DIR, readDictionaryFile } from '../core/dictionaryFiles';
import { mayWriteInWorkspace, workspaceTrusted } from './trust';

const empty = (): Annotations => ({ decisions: new Map(), reviewed: new Set() });

export class AnnotationsStore implements vscode.Disposable {
  private current: Annotations = empty();
  private text = '';
  private readonly undoStack: string[] = [];
  private readonly changed = new vscode.EventEmitter<string[]>();
  /** Fires with the annotation paths whose decisions or status changed. */
  readonly onDidChange = this.changed.event;

  constructor() { this.reload(); }

  /** the folder that holds .corpus-lens (annotation paths are relative to it) */
  get base(): vscode.Uri | undefined { return vscode.workspace.workspaceFolders?.[0]?.uri; }
  get uri(): vscode.Uri | undefined { const b = this.base; return b ? vscode.Uri.joinPath(b, DICTIONARY_DIR, ANNOTATIONS_FILE) : undefined; }

  /** The path an article has in annotations.jsonl, or undefined outside the workspace folder. */
  pathOf(uri: vscode.Uri): string | undefined {
    const base = this.base;
    if (!base || uri.scheme !== 'file' || base.scheme !== 'file') return undefined;
    const rel = path.relative(base.fsPath, uri.fsPath);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  get annotations(): Annotations { return this.current; }
  decisionsOf(uri: vscode.Uri): MentionDecision[] { const p = this.pathOf(uri); return (p && this.current.decisions.get(p)) || []; }
  isReviewed(uri: vscode.Uri): boolean { const p = this.pathOf(uri); return !!p && this.current.reviewed.has(p); }
  /** the decision whose span is exactly [start, end) of this article, if any */
  decisionAt(uri: vscode.Uri, start: number, end: number): MentionDecision | undefined { return this.decisionsOf(uri).find((d) => d.start === start && d.end === end); }

  /** Reads the file again (open editor first); fires with the paths that changed. */
  reload(): string[] {
    const uri = this.uri;
    let text = '';
    if (uri && uri.scheme === 'file' && workspaceTrusted()) {
      // unsaved edits count; a saved file is read from disk (a change on disk reaches it before the open document)
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      text = open?.isDirty ? open.getText() : readDictionaryFile(uri.fsPath) ?? '';
    }
    if (text === this.text) return [];
    const before = this.current;
    this.text = text;
    this.current = parseAnnotations(text).annotations;
    const paths = changedPaths(before, this.current);
    if (paths.length) this.changed.fire(paths);
    return paths;
  }

  /** A decision for [start, end) of the document (replacing one on the same span). */
  decide(doc: vscode.TextDocument, start: number, end: number, type: DecisionType): Promise<boolean> {
    const p = this.pathOf(doc.uri);
    if (!p) return Promise.resolve(false);
    const d = decisionAt(p, doc.getText(), start, end, type);
    return this.update((a) => {
      const list = (a.decisions.get(p) ?? []).filter((x) => !(x.start === start && x.end === end));
      a.decisions.set(p, [...list, d]);
    });
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
    if (text === this.text) return true;
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
