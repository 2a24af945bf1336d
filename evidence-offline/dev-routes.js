/**
 * Evidence's template ships routes that only work under `evidence dev`: `settings/` (source connections, deploy; not
 * prerendered) and `explore/` (the schema viewer and SQL console; `prerender = dev`, `ssr = dev`), linked only from
 * the dev-mode menu. A production build still bundles them into the server and the client build, and with them the
 * SQL console's editor and `@evidence-dev/component-utilities/icons` (`export *` of every Tabler and every brand
 * icon: about 260 MB of Rollup's heap per build, `bench/package-heap.ts`).
 *
 * `leaveOutDevRoutes()` removes them from the copied template (`.evidence/template/src/pages`) when Evidence builds
 * the site (`EVIDENCE_IS_BUILDING=true`, set by `evidence build`); it is called from the root `svelte.config.js`,
 * which Vite loads before SvelteKit reads the routes. `evidence dev` keeps them.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const DEV_ONLY_ROUTES = ['explore', 'settings'];

/**
 * @param {string} templateDir the Evidence template the build runs in (the build's working folder)
 * @param {NodeJS.ProcessEnv} env
 * @returns {string[]} the routes removed
 */
export function leaveOutDevRoutes(templateDir = process.cwd(), env = process.env) {
	if (env.EVIDENCE_IS_BUILDING !== 'true') return [];
	// only ever inside Evidence's copy of its template, never in the project's own pages
	if (!/[\\/]\.evidence[\\/]template[\\/]?$/.test(templateDir)) return [];
	const removed = [];
	for (const route of DEV_ONLY_ROUTES) {
		const dir = join(templateDir, 'src', 'pages', route);
		if (!existsSync(dir)) continue;
		rmSync(dir, { recursive: true, force: true });
		removed.push(route);
	}
	return removed;
}
