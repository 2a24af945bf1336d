import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the folder holding package.json, evidence.config.yaml and pipelines/. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Resolves a configured path: absolute paths stay, relative ones are taken from the project root. */
export function fromRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(projectRoot, path);
}
