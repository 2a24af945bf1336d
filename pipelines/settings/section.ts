import { z } from 'zod';

/**
 * A section of config/pipeline.yaml whose every key has a default: these keys and no others (a misspelt key is an
 * error, not silently ignored), and an absent section is all defaults.
 */
export function configSection<T extends z.ZodRawShape>(shape: T) {
  return z
    .object(shape)
    .strict()
    .default({} as z.input<z.ZodObject<T, 'strict'>>);
}

/** A file or folder setting (resolved from the project root by its section): a non-empty path, with its default. */
export const pathSetting = (fallback: string) => z.string().trim().min(1).default(fallback);

/** A section's resolved defaults (`defaultPlan()` …): what `resolve` makes of an absent section. */
export const resolvedDefaults =
  <S extends z.ZodTypeAny, R>(schema: S, resolve: (section: z.output<S>) => R) =>
  (): R =>
    resolve(schema.parse(undefined));
