// The package as npm packs it, and the component's markup: an ARIA feed, a live region, labelled
// items. The markup is rendered on the server (react-dom/server), where effects do not run, so no
// connection is made; the same component runs against the real stack in system-tests'
// BrowserInboxIntegrationTests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { HeraldClient } from '@herald/client';
import { HeraldInbox, useHeraldInbox } from '@herald/react';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

const packageDir = new URL('../', import.meta.url);

test('the packed package holds the module, the stylesheet, the declarations and its README, and depends on nothing but its peers', () => {
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: packageDir, encoding: 'utf8' }));
	assert.deepEqual(packed.files.map((file) => file.path).sort(),
		['README.md', 'dist/herald-inbox.css', 'dist/index.d.ts', 'dist/index.js', 'package.json']);
	const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8'));
	assert.equal(manifest.dependencies, undefined);
	assert.deepEqual(Object.keys(manifest.peerDependencies).sort(), ['@herald/client', 'react']);
});

test('the module leaves React and the client to the app', () => {
	const module = readFileSync(new URL('dist/index.js', packageDir), 'utf8');
	assert.match(module, /from "react"/);
	assert.match(module, /from "@herald\/client"/);
	assert.doesNotMatch(module, /class HeraldClient/);
});

test('the component renders a labelled feed, an unread badge and a polite live region', () => {
	const client = new HeraldClient({ url: 'http://127.0.0.1:1', token: 'jwt' });
	const html = renderToStaticMarkup(createElement(HeraldInbox, { client, title: 'Inbox', className: 'mine' }));
	assert.match(html, /^<section class="herald-inbox mine" aria-labelledby="([^"]+)">/);
	const heading = html.match(/aria-labelledby="([^"]+)"/)[1];
	assert.match(html, new RegExp(`<h2 id="${heading}" class="herald-inbox__title">Inbox`));
	assert.match(html, new RegExp(`<div role="feed" class="herald-inbox__feed" aria-labelledby="${heading}" aria-busy="true">`));
	assert.match(html, /<span class="herald-inbox__badge" data-count="0" aria-hidden="true">0<\/span>/);
	assert.match(html, /<span class="herald-inbox__sr-only">, 0 unread<\/span>/);
	assert.match(html, /<p class="herald-inbox__sr-only" aria-live="polite"><\/p>/);
	assert.match(html, /<button type="button" class="herald-inbox__mark-all" disabled="">Mark all read<\/button>/);
	assert.match(html, /data-state="connecting"/);
});

test('the hook starts empty and connecting, with the client it was given', () => {
	const client = new HeraldClient({ url: 'http://127.0.0.1:1', token: 'jwt' });
	let inbox;
	function Probe() {
		inbox = useHeraldInbox(client);
		return null;
	}
	renderToStaticMarkup(createElement(Probe));
	assert.equal(inbox.client, client);
	assert.deepEqual(inbox.items, []);
	assert.equal(inbox.unread, 0);
	assert.equal(inbox.state, 'connecting');
	assert.equal(inbox.loading, true);
	assert.equal(inbox.hasOlder, false);
	assert.equal(inbox.error, null);
});

test('the hook makes a client of options', () => {
	let inbox;
	function Probe() {
		inbox = useHeraldInbox({ url: 'http://127.0.0.1:1', token: 'jwt', transport: 'sse' });
		return null;
	}
	renderToStaticMarkup(createElement(Probe));
	assert.ok(inbox.client instanceof HeraldClient);
	assert.equal(inbox.client.transport, 'sse');
});

test('the stylesheet themes the component through --herald-* variables only', () => {
	const css = readFileSync(new URL('dist/herald-inbox.css', packageDir), 'utf8');
	for (const variable of ['--herald-accent', '--herald-text', '--herald-background', '--herald-border', '--herald-radius', '--herald-font']) {
		assert.match(css, new RegExp(`${variable}:`), variable);
	}
	assert.doesNotMatch(css, /@import|url\(/);
	// The defaults weigh nothing, so a page's own value wins wherever it sets it.
	assert.match(css, /:where\(:root\)\s*\{[^}]*--herald-accent:/);
});
