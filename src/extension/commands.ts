/**
 * The command table: every command the extension contributes, with its title. A unit test checks it against
 * package.json's contributes.commands, and activate() registers exactly one handler per id (`satisfies
 * CommandHandlers`), so the manifest, the handlers and every reference by id (links, code actions, tree
 * rows, executeCommand) cannot drift apart. Imports vscode for types only: the unit tests load this file.
 */
import type * as vscode from 'vscode';

export const COMMANDS = {
  'corpusLens.fixAll': 'Fix All Auto-Fixable Problems',
  'corpusLens.fixCorpus': 'Fix Problems Across the Corpus…',
  'corpusLens.switchOffRule': 'Switch Off a Rule for a File or Folder',
  'corpusLens.setLanguage': 'Treat This File as a Corpus Article',
  'corpusLens.showLog': 'Show Log',
  'corpusLens.extractEntities': 'Extract Entities',
  'corpusLens.showConcordance': 'Show Concordance',
  'corpusLens.searchConcordance': 'Search the Corpus (Concordance)…',
  'corpusLens.exportConcordance': 'Export Concordance Lines…',
  'corpusLens.showTimeline': 'Show Timeline',
  'corpusLens.exportTimeline': 'Export Timeline…',
  'corpusLens.addToDictionary': 'Add to Corpus Dictionary',
  'corpusLens.markNotEntity': 'Mark as Not an Entity',
  'corpusLens.openDictionary': 'Open Corpus Dictionary',
  'corpusLens.reindex': 'Rebuild the Corpus Index',
  'corpusLens.scopeCorpus': 'Show Entities of the Whole Corpus',
  'corpusLens.scopeArticle': 'Show Entities of This Article',
  'corpusLens.sortByName': 'Sort Entities by Name',
  'corpusLens.sortByCount': 'Sort Entities by Count',
  'corpusLens.sortByConfidence': 'Sort Entities by Confidence (Least Sure First)',
  'corpusLens.filterEntities': 'Filter Entities…',
  'corpusLens.clearFilter': 'Clear the Entity Filter',
  'corpusLens.revealMention': 'Open Mention',
  'corpusLens.focusEntities': 'Show Entities',
  'corpusLens.copyEntityName': 'Copy Name',
  'corpusLens.showConventions': 'Show the Corpus\'s Conventions',
  'corpusLens.review': 'Review Entities in This Article',
  'corpusLens.reviewCorpus': 'Review Entities in the Corpus',
  'corpusLens.review.person': 'Review: Person',
  'corpusLens.review.place': 'Review: Place',
  'corpusLens.review.organisation': 'Review: Organisation',
  'corpusLens.review.notEntity': 'Review: Not an Entity',
  'corpusLens.review.accept': 'Review: Accept',
  'corpusLens.review.next': 'Review: Next Mention',
  'corpusLens.review.previous': 'Review: Previous Mention',
  'corpusLens.review.undo': 'Review: Undo the Last Decision',
  'corpusLens.review.stop': 'Review: Stop',
  'corpusLens.markReviewed': 'Mark Article Reviewed',
  'corpusLens.learnFromReviewed': 'Learn from Reviewed Articles',
  'corpusLens.scoreReviewed': 'Score the Model on Reviewed Articles',
  'corpusLens.dropDecision': 'Drop a Decision',
  'corpusLens.decideMentions': 'Decide at These Places',
  'corpusLens.placeDecision': 'Place a Decision',
} as const;

export type CommandId = keyof typeof COMMANDS;

/** VS Code passes a command whatever its caller gave (a menu passes the focused row): handlers check their arguments. */
export type CommandHandler = (...args: any[]) => unknown;

/** The whole table: one handler for every command and for nothing else. */
export type CommandHandlers = { readonly [K in CommandId]: CommandHandler };

/** One feature's share of the table (each feature returns its handlers; activate() joins them). */
export type FeatureCommands = Partial<CommandHandlers>;

/** A vscode.Command (code action, tree row) that runs one of the table's commands. */
export function commandOf(command: CommandId, title: string, args: unknown[]): vscode.Command {
  return { command, title, arguments: args };
}
