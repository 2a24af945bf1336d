/** YAML text validated by a zod schema: the data, or the problems, each naming its key path (none of the text). */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

export type Parsed<T> = { data: T; problems?: undefined } | { data?: undefined; problems: string[] };

/** Parses `text` as YAML and validates it with `schema`; an empty document is validated as `{}`. Pure. */
export function parseYamlWith<S extends z.ZodTypeAny>(schema: S, text: string): Parsed<z.infer<S>> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return { problems: [`not valid YAML: ${(e as Error).message}`] };
  }
  const result = schema.safeParse(doc ?? {});
  if (result.success) return { data: result.data };
  return { problems: result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`) };
}
