import { z } from 'zod';

/**
 * Running the same warehouse on MotherDuck (README "MotherDuck"): the connection, validated at the boundary. The
 * database name is configuration; the access token is never in the repository or a config file, only in an env
 * variable (MOTHERDUCK_TOKEN unless `token_env` names another). Nothing here opens a network connection.
 */
export const MotherDuckSection = z
  .object({
    /** The MotherDuck database (DuckDB opens it as `md:<database>`). */
    database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a MotherDuck database name: letters, digits and _'),
    /** The env variable holding the access token. */
    token_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an env variable name (A-Z, 0-9, _)').default('MOTHERDUCK_TOKEN'),
    /** The catalogue name the database is attached under (the marts' SQL uses schema names only, never a catalogue). */
    attach_as: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case identifier').default('warehouse'),
  })
  .strict();
export type MotherDuckSection = z.infer<typeof MotherDuckSection>;

export interface MotherDuckConnection {
  /** What DuckDB opens or attaches: `md:<database>`. */
  path: string;
  attachAs: string;
  /** DuckDB configuration for DuckDBInstance.create (holds the token: never log it). */
  options: { motherduck_token: string };
  /** Env for an Evidence MotherDuck source named `warehouse` (@evidence-dev/motherduck reads its options from env). */
  evidenceEnv: Record<string, string>;
}

/**
 * Validates a MotherDuck section and finds its token in `env`. Errors name the key or the env variable, never a
 * token: a `token` key in the section is refused (it would end up in the repository).
 */
export function motherDuckConnection(raw: unknown, env: NodeJS.ProcessEnv): MotherDuckConnection {
  if (raw && typeof raw === 'object' && 'token' in raw) {
    throw new Error('motherduck: a token in the configuration is refused; put it in the env variable named by token_env (default MOTHERDUCK_TOKEN)');
  }
  const parsed = MotherDuckSection.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`motherduck.${issue?.path.join('.') || '(section)'}: ${issue?.message ?? 'invalid'}`);
  }
  const { database, token_env: tokenEnv, attach_as: attachAs } = parsed.data;
  const token = env[tokenEnv]?.trim();
  if (!token) throw new Error(`motherduck: env variable ${tokenEnv} is not set (the MotherDuck access token goes there)`);
  return {
    path: `md:${database}`,
    attachAs,
    options: { motherduck_token: token },
    evidenceEnv: { EVIDENCE_SOURCE__warehouse__database: database, EVIDENCE_SOURCE__warehouse__token: token },
  };
}

/** `attach '<path>' as <name>`: the same statement attaches a local copy (tests) or `md:<database>`. Pure. */
export function attachSql(path: string, attachAs: string, readOnly: boolean): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(attachAs)) throw new Error(`invalid catalogue name ${attachAs}`);
  return `attach '${path.replace(/'/g, "''")}' as ${attachAs}${readOnly ? ' (read_only)' : ''}`;
}
