// Builds dist/: the hook and the component as one ES module (JSX compiled; React and @herald/client
// stay imports, to be the app's own copies), the stylesheet and the hand-written declarations.
import { copyFileSync, rmSync } from 'node:fs';

import { build } from 'esbuild';

const dist = new URL('./dist/', import.meta.url);
rmSync(dist, { recursive: true, force: true });
await build({
	entryPoints: [new URL('./src/index.jsx', import.meta.url).pathname],
	outfile: new URL('index.js', dist).pathname,
	bundle: true,
	format: 'esm',
	target: 'es2022',
	jsx: 'automatic',
	external: ['react', 'react/jsx-runtime', '@herald/client'],
	logLevel: 'warning',
});
copyFileSync(new URL('./src/herald-inbox.css', import.meta.url), new URL('herald-inbox.css', dist));
copyFileSync(new URL('./index.d.ts', import.meta.url), new URL('index.d.ts', dist));
