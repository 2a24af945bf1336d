// Evidence merges this file into its own SvelteKit configuration (.evidence/template/svelte.config.js,
// `loadUserConfiguration`): our preprocessors run after Evidence's.
import { componentImports } from 'tj-evidence-offline/component-imports.js';
import { leaveOutDevRoutes } from 'tj-evidence-offline/dev-routes.js';
import { iconImports } from 'tj-evidence-offline/icon-imports.js';

// `evidence build`: Evidence's dev-only routes (settings, SQL console) stay out of the bundles (tj-evidence-offline/dev-routes.js)
leaveOutDevRoutes();

export default {
	// pages import each Evidence component from the module that defines it, not from the package's barrel, so the
	// first load carries only the components a page uses (tj-evidence-offline/component-imports.js); Tabler icons
	// are inlined as data, so the bundler never parses the 2.5 MB icon barrel (tj-evidence-offline/icon-imports.js)
	preprocess: [componentImports(), iconImports()]
};
