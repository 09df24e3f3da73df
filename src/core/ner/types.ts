export type EntityType = 'PER' | 'LOC' | 'ORG';
export const ENTITY_TYPES: readonly EntityType[] = ['PER', 'LOC', 'ORG'];

/**
 * One recognised span; start/end are UTF-16 offsets into the text given to recognise(). `confidence` in [0, 1]
 * (confidence.ts): the recogniser sets it on every mention it returns (1 for the user's dictionary); the post-rules
 * work on mentions that do not have it yet.
 */
export interface Mention { start: number; end: number; type: EntityType; text: string; confidence?: number }

/** A document-level entity: all mentions of one name, with its short forms and the titles written before it. */
export interface Entity { name: string; type: EntityType; aliases: string[]; roles: string[]; mentions: Mention[] }

export function normaliseType(s: string): EntityType | undefined {
  const t = s.trim().toLowerCase();
  if (t === 'per' || t === 'person' || t === 'nr' || t === 'name') return 'PER';
  if (t === 'loc' || t === 'place' || t === 'location' || t === 'ns' || t === 'gpe') return 'LOC';
  if (t === 'org' || t === 'organisation' || t === 'organization' || t === 'nt') return 'ORG';
  return undefined;
}
