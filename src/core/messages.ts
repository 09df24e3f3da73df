/**
 * The language of the core's rule messages and fix titles. They are written as calls of @vscode/l10n's `t` (which
 * needs no vscode: it runs in the extension host, the worker and the CLI alike) and translated by the extension's
 * l10n/bundle.l10n.<locale>.json, the bundle vscode.l10n uses. Each process chooses once: the extension host and
 * the worker take VS Code's bundle for its display language, the CLI the one its locale environment names.
 * English, the default, is the messages as written.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { shippedFileCandidates } from './shipped';

export type MessageBundle = Record<string, string>;

let generation = 0;
let current: MessageBundle | undefined;

/** Translates the core's messages with `bundle` from now on; undefined or {} is English. */
export function useMessages(bundle: MessageBundle | undefined): void {
  l10n.config({ contents: bundle ?? {} });
  current = bundle;
  generation++;
}

/** The bundle in use (for a worker thread to speak the same language); undefined for English. */
export const messagesInUse = (): MessageBundle | undefined => current;

/** Changes with each useMessages: what caches a message (rules' line cache) must drop it when this changes. */
export const messagesGeneration = (): number => generation;

/**
 * The bundle a command line's locale asks for, by POSIX precedence (LC_ALL, then LC_MESSAGES, then LANG): a locale
 * starting with `zh` (zh_CN.UTF-8, zh_SG) takes the Simplified Chinese bundle, the one translation there is;
 * anything else (C, POSIX, en_US, unset) is English. Read from the l10n/ folder shipped beside dist/.
 */
export function cliMessages(env: NodeJS.ProcessEnv): MessageBundle | undefined {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  if (!/^zh/i.test(locale)) return undefined;
  const file = shippedFileCandidates('l10n', 'bundle.l10n.zh-cn.json').find((f) => existsSync(f));
  return file ? JSON.parse(readFileSync(file, 'utf8')) as MessageBundle : undefined;
}

/**
 * A count with its thousands grouped by commas, as both shipped languages (English, Simplified Chinese) write it:
 * 10,016. Not toLocaleString: its first call in a process loads ICU's number data, 20–40 ms of one thread (Node 20
 * and 24 here), which on the extension host was the longest block of an index run (the status bar's count at its end).
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return n < 0 ? '-' + out : out;
}
