/**
 * The typed command map: every command the extension registers, with its title. A unit test checks it
 * against package.json's contributes.commands, so the two cannot drift.
 */
export const COMMANDS = {
  'corpusLens.fixAll': 'Fix All Auto-Fixable Problems',
  'corpusLens.switchOffRule': 'Switch Off a Rule for a File or Folder',
  'corpusLens.setLanguage': 'Treat This File as a Corpus Article',
  'corpusLens.showLog': 'Show Log',
} as const;

export type CommandId = keyof typeof COMMANDS;
