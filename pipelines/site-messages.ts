/**
 * The pages' message catalogue (messages/fi.yaml, sv.yaml, en.yaml): every heading, paragraph, label, column title
 * and empty-state text of reports/ and components/, one file per site language. Validated at build time (zod): each
 * file is a tree of texts, every key of any language is in every language, no text is empty. The build passes the
 * chosen language's texts to Evidence as VITE_TJ_PAGE_MESSAGES (evidence-offline/page-text.js reads them).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths.js';
import { SITE_LANGUAGES } from './settings/pipeline.js';
import { fileProblemsError, parseYamlWith, readConfigText } from './yaml-file.js';

export const MESSAGES_DIR = join(projectRoot, 'messages');
type SiteLanguage = (typeof SITE_LANGUAGES)[number];

/** A catalogue file: nested maps whose leaves are non-empty texts. */
type Tree = { [key: string]: unknown };
const groupSchema = z.record(z.string().regex(/^[A-Za-z0-9_]+$/, 'a key is letters, digits and _'), z.unknown());
const textSchema = z.string({ invalid_type_error: 'not a text (nor a group of texts)' }).trim().min(1, 'empty text');

export const MessageCatalogueError = fileProblemsError('MessageCatalogueError', 'message catalogue');

/** One language's texts by dotted key (`index.title`). */
export type Messages = Record<string, string>;

/** The texts of a group by dotted key, and the problems of its entries, each naming the key. */
function flatten(tree: Tree, prefix: string, out: Messages, problems: string[]): void {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const group = groupSchema.safeParse(value);
      if (group.success) flatten(group.data, path, out, problems);
      else problems.push(...group.error.issues.map((i) => `${[path, ...i.path].join('.')}: ${i.message}`));
    } else {
      const text = textSchema.safeParse(value);
      if (text.success) out[path] = value as string;
      else problems.push(...text.error.issues.map((i) => `${path}: ${i.message}`));
    }
  }
}

/** The `{name}` placeholders of a text, sorted. */
export const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

/** Parses one language's file (pure): its texts, or the problems, each naming the key. */
export function parseMessages(text: string, file: string): Messages {
  const parsed = parseYamlWith(groupSchema, text);
  if (parsed.problems) throw new MessageCatalogueError(file, parsed.problems);
  const out: Messages = {};
  const problems: string[] = [];
  flatten(parsed.data, '', out, problems);
  if (problems.length) throw new MessageCatalogueError(file, problems);
  return out;
}

/**
 * Checks that the languages have the same keys and the same placeholders (pure): a problem per missing key, naming
 * the file that lacks it and a file that has it.
 */
export function catalogueProblems(catalogue: Record<SiteLanguage, Messages>, fileOf: (l: SiteLanguage) => string): string[] {
  const problems: string[] = [];
  const keys = [...new Set(SITE_LANGUAGES.flatMap((l) => Object.keys(catalogue[l])))];
  for (const key of keys) {
    const holder = SITE_LANGUAGES.find((l) => catalogue[l][key] !== undefined)!;
    const expected = placeholders(catalogue[holder][key]!).join(', ');
    for (const language of SITE_LANGUAGES) {
      const text = catalogue[language][key];
      if (text === undefined) problems.push(`${fileOf(language)}: key ${key} is missing (it is in ${fileOf(holder)})`);
      else if (placeholders(text).join(', ') !== expected) {
        problems.push(`${fileOf(language)}: key ${key} has the placeholders [${placeholders(text).join(', ')}], ${fileOf(holder)} has [${expected}]`);
      }
    }
  }
  return problems;
}

/** Reads and checks the whole catalogue: every language's texts, or a MessageCatalogueError naming file and key. */
export function loadMessageCatalogue(dir = MESSAGES_DIR): Record<SiteLanguage, Messages> {
  const fileOf = (l: SiteLanguage) => join(dir, `${l}.yaml`);
  const catalogue = Object.fromEntries(
    SITE_LANGUAGES.map((l) => {
      const file = fileOf(l);
      if (!existsSync(file)) throw new MessageCatalogueError(file, ['the file does not exist (every site language has one)']);
      return [l, parseMessages(readConfigText(file, MessageCatalogueError), file)];
    }),
  ) as Record<SiteLanguage, Messages>;
  const problems = catalogueProblems(catalogue, fileOf);
  if (problems.length) throw new MessageCatalogueError(dir, problems);
  return catalogue;
}
