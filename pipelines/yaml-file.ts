/**
 * YAML files validated by a zod schema: the data, or the problems, each naming its key path (never the file's
 * values), and the one shape of error that lists them with the file.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

export type Parsed<T> = { data: T; problems?: undefined } | { data?: undefined; problems: string[] };

/** A key path as `a.b.0.c`, or `(root)`. */
export const dottedPath = (path: (string | number)[]): string => (path.length ? path.join('.') : '(root)');

/**
 * Parses `text` as YAML and validates it with `schema`; an empty document is validated as `{}`. `where` writes an
 * issue's key path (given the parsed document, e.g. to name an entry by its code). Pure.
 */
export function parseYamlWith<S extends z.ZodTypeAny>(
  schema: S,
  text: string,
  where: (path: (string | number)[], doc: unknown) => string = dottedPath,
): Parsed<z.infer<S>> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return { problems: [`not valid YAML: ${(e as Error).message}`] };
  }
  const result = schema.safeParse(doc ?? {});
  if (result.success) return { data: result.data };
  return { problems: result.error.issues.map((i) => `${where(i.path, doc)}: ${i.message}`) };
}

/** parseYamlWith, throwing `new error(file, problems)` when the text has any. Pure. */
export function parseYamlOrThrow<S extends z.ZodTypeAny>(
  schema: S,
  text: string,
  file: string,
  error: new (file: string, problems: string[]) => Error,
  where?: (path: (string | number)[], doc: unknown) => string,
): z.infer<S> {
  const parsed = parseYamlWith(schema, text, where);
  if (parsed.problems) throw new error(file, parsed.problems);
  return parsed.data;
}

/** An error class named `name` for the problems of one file: "Invalid <what> <file>:" and one problem a line. */
export function fileProblemsError(name: string, what: string) {
  return class extends Error {
    constructor(
      readonly file: string,
      readonly problems: string[],
    ) {
      super(`Invalid ${what} ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      this.name = name;
    }
  };
}

/** A configuration file's text; one that cannot be read becomes `new error(file, ["cannot read the file: …"])`. */
export function readConfigText(file: string, error: new (file: string, problems: string[]) => Error): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new error(file, [`cannot read the file: ${(e as Error).message}`]);
  }
}
