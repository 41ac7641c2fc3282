// Builds the demo inbox page that the gateway serves at /demo/ (this module's jar is on its class
// path): the page, <HeraldInbox/> with React bundled into one module, and one stylesheet.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

import { build } from 'esbuild';

const out = new URL('./target/classes/static/demo/', import.meta.url);
const source = new URL('./demo/', import.meta.url);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
	entryPoints: ['inbox.jsx', 'inbox.css'].map((file) => new URL(file, source).pathname),
	outdir: out.pathname,
	bundle: true,
	minify: true,
	format: 'esm',
	target: 'es2022',
	jsx: 'automatic',
	define: { 'process.env.NODE_ENV': '"production"' },
	legalComments: 'eof',
	logLevel: 'warning',
});
copyFileSync(new URL('inbox.html', source), new URL('inbox.html', out));
