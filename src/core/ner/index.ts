/**
 * Public API of the entity recogniser (PER, LOC, ORG) for Chinese news text. Synchronous and free
 * of `vscode`: used by the CLI and the worker thread.
 */
export type { EntityType, Mention, Entity } from './types';
export { ENTITY_TYPES, normaliseType } from './types';
export type { Recogniser } from './recogniser';
export { createRecogniser, splitChunks } from './recogniser';
export { Model, loadModel, defaultModelPath } from './model';
export type { Dictionary, DictionaryEntry, DictionaryError } from './dictionary';
export { parseDictionary, parseStopList, createDictionary } from './dictionary';
export { analyseDocument } from './document';
export { evaluate, readAnnotated, score, formatScores } from './eval';
export type { EvalResult, Scores, PRF, GoldSentence, GoldSpan } from './eval';
