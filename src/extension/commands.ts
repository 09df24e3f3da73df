/**
 * The typed command map: every command the extension contributes, with its title. A unit test checks it
 * against package.json's contributes.commands, so the two cannot drift.
 */
export const COMMANDS = {
  'corpusLens.fixAll': 'Fix All Auto-Fixable Problems',
  'corpusLens.switchOffRule': 'Switch Off a Rule for a File or Folder',
  'corpusLens.setLanguage': 'Treat This File as a Corpus Article',
  'corpusLens.showLog': 'Show Log',
  'corpusLens.extractEntities': 'Extract Entities',
  'corpusLens.showConcordance': 'Show Concordance',
  'corpusLens.showTimeline': 'Show Timeline',
  'corpusLens.addToDictionary': 'Add to Corpus Dictionary',
  'corpusLens.markNotEntity': 'Mark as Not an Entity',
  'corpusLens.openDictionary': 'Open Corpus Dictionary',
  'corpusLens.reindex': 'Rebuild the Corpus Index',
  'corpusLens.scopeCorpus': 'Show the Whole Corpus',
  'corpusLens.scopeArticle': 'Show This Article',
  'corpusLens.sortByName': 'Sort by Name',
  'corpusLens.sortByCount': 'Sort by Count',
  'corpusLens.filterEntities': 'Filter Entities…',
  'corpusLens.clearFilter': 'Clear Filter',
  'corpusLens.revealMention': 'Open Mention',
  'corpusLens.focusEntities': 'Show Entities',
} as const;

export type CommandId = keyof typeof COMMANDS;
