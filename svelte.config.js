// Evidence merges this file into its own SvelteKit configuration (.evidence/template/svelte.config.js,
// `loadUserConfiguration`): our preprocessors run after Evidence's.
import { componentImports } from 'tj-evidence-offline/component-imports.js';

export default {
	// pages import each Evidence component from the module that defines it, not from the package's barrel, so the
	// first load carries only the components a page uses (tj-evidence-offline/component-imports.js)
	preprocess: [componentImports()]
};
