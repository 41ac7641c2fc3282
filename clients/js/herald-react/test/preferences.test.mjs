// useHeraldPreferences in a real browser: headless Chromium runs a React page (browser/
// preferences-app.jsx) against a local HTTP server that answers /v1/inbox/preferences as the
// gateway does, slowly enough that every state in between is seen. Against the real gateway and
// routing, the client's calls are tested in system-tests.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { build } from 'esbuild';

const CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';
const TOKEN = 'user-jwt';
/** How long the server takes to answer a PUT: long enough to see the change shown before it is kept. */
const WRITE_DELAY_MS = 150;

const problem = (status, code, detail, errors) => JSON.stringify({
	type: `urn:herald:problem:${code}`, title: code, status, detail, code, ...(errors ? { errors } : {}),
});

/** The gateway's preferences as the page changes them, and every PUT it received, in order. */
const gateway = { stored: { channels: {}, categories: {} }, puts: [], inFlight: 0, mostInFlight: 0 };
let server;
let result;

before(async () => {
	const bundle = await build({
		entryPoints: [new URL('./browser/preferences-app.jsx', import.meta.url).pathname],
		bundle: true,
		write: false,
		format: 'esm',
		target: 'es2022',
		jsx: 'automatic',
		define: { 'process.env.NODE_ENV': '"development"' },
		logLevel: 'warning',
	});
	const app = bundle.outputFiles[0].text;
	let reported;
	result = new Promise((resolve) => {
		reported = resolve;
	});
	server = createServer(async (request, response) => {
		const body = await text(request);
		const url = new URL(request.url, 'http://localhost');
		if (url.pathname === '/') {
			return send(response, 200, 'text/html', '<!doctype html><meta charset="utf-8"><div id="root"></div><script type="module" src="/app.js"></script>');
		}
		if (url.pathname === '/app.js') {
			return send(response, 200, 'text/javascript', app);
		}
		if (url.pathname === '/result' && request.method === 'POST') {
			reported(JSON.parse(body));
			return send(response, 204, 'text/plain', '');
		}
		if (url.pathname !== '/v1/inbox/preferences') {
			return send(response, 404, 'application/problem+json', problem(404, 'not_found', 'No such path'));
		}
		if (request.headers.authorization !== `Bearer ${TOKEN}`) {
			return send(response, 401, 'application/problem+json', problem(401, 'invalid_token', 'No token'));
		}
		if (request.method === 'GET') {
			return send(response, 200, 'application/json', JSON.stringify(gateway.stored));
		}
		gateway.inFlight += 1;
		gateway.mostInFlight = Math.max(gateway.mostInFlight, gateway.inFlight);
		const sent = JSON.parse(body);
		gateway.puts.push(sent);
		await new Promise((resolve) => setTimeout(resolve, WRITE_DELAY_MS));
		gateway.inFlight -= 1;
		if (sent.channels?.fax !== undefined) {
			return send(response, 400, 'application/problem+json', problem(400, 'invalid_request', 'The field channels.fax is invalid.',
				[{ field: 'channels.fax', message: 'is not a channel: use one of inapp, push, email, sms' }]));
		}
		if (sent.categories?.['fail.*'] !== undefined) {
			return send(response, 503, 'application/problem+json', problem(503, 'service_unavailable', 'Preferences cannot be reached right now.'),
				{ 'Retry-After': '5' });
		}
		gateway.stored = sent;
		return send(response, 200, 'application/json', JSON.stringify(sent));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
});

after(() => server?.close());

test('the hook loads the preferences, shows a change at once, keeps what the gateway stored and puts back what it refused', { timeout: 60_000 }, async () => {
	assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found (set HERALD_CHROMIUM): apt-get install -y chromium`);
	const profile = mkdtempSync(join(tmpdir(), 'herald-react-chromium-'));
	const chromium = spawn(CHROMIUM, ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
		'--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
		`--user-data-dir=${profile}`, `http://127.0.0.1:${server.address().port}/`], { stdio: 'ignore', detached: true });
	const exited = new Promise((resolve) => chromium.once('exit', resolve));
	let outcome;
	try {
		outcome = await Promise.race([result, new Promise((resolve, reject) => {
			chromium.once('exit', (code) => reject(new Error(`Chromium exited with ${code} before the page reported`)));
			setTimeout(() => reject(new Error('The page did not report within 45 s')), 45_000).unref();
		})]);
	}
	finally {
		// The browser and its helper processes, which share its process group.
		process.kill(-chromium.pid, 'SIGKILL');
		await exited;
		rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
	}
	assert.equal(outcome.failure, undefined, outcome.failure);
	const { steps, snapshots } = outcome;

	assert.equal(snapshots[0].loading, true, 'loading from the first render');
	assert.equal(snapshots[0].preferences, null);
	assert.deepEqual(steps.loaded.preferences, { channels: {}, categories: {} });
	assert.equal(steps.loaded.error, null);

	// A kept change: shown before the gateway answered, then what it stored.
	assert.deepEqual(steps['kept-pending'].preferences, { channels: { sms: false }, categories: {} });
	assert.deepEqual(steps.keptResult, { channels: { sms: false }, categories: {} });
	assert.deepEqual(steps.kept.preferences, { channels: { sms: false }, categories: {} });
	assert.equal(steps.kept.error, null);

	// A refused change: shown, then put back, with the offending field.
	assert.deepEqual(steps['refused-pending'].preferences.channels, { sms: false, fax: true });
	assert.equal(steps.refusedResult, null);
	assert.deepEqual(steps.refused.preferences, { channels: { sms: false }, categories: {} });
	assert.equal(steps.refused.error.code, 'preferences_refused');
	assert.equal(steps.refused.error.status, 400);
	assert.deepEqual(steps.refused.error.errors.map((error) => error.field), ['channels.fax']);

	// The gateway cannot be reached: put back, and said so.
	assert.deepEqual(steps['failed-pending'].preferences.categories, { 'fail.*': { enabled: false } });
	assert.equal(steps.failedResult, null);
	assert.deepEqual(steps.failed.preferences, { channels: { sms: false }, categories: {} });
	assert.equal(steps.failed.error.code, 'preferences_not_saved');
	assert.equal(steps.failed.error.status, 503);

	// Two quick changes: the second builds on the first, they are sent one after the other.
	const both = { channels: { sms: false }, categories: { 'marketing.*': { enabled: false } }, quietHours: { start: '22:00', end: '07:00' } };
	assert.deepEqual(steps['both-pending'].preferences, both);
	assert.equal(steps['both-pending'].saving, true);
	assert.deepEqual(steps.both.preferences, both);
	assert.equal(steps.both.error, null);
	assert.deepEqual(gateway.puts.slice(-2), [{ ...both, categories: {} }, both]);
	assert.equal(gateway.mostInFlight, 1, 'one write at a time');
	assert.deepEqual(gateway.stored, both);
	assert.deepEqual(steps.reloaded.preferences, both);
	assert.equal(steps.reloaded.error, null);
});

function text(request) {
	return new Promise((resolve, reject) => {
		let body = '';
		request.setEncoding('utf8');
		request.on('data', (chunk) => {
			body += chunk;
		});
		request.on('end', () => resolve(body));
		request.on('error', reject);
	});
}

function send(response, status, type, body, headers = {}) {
	response.writeHead(status, { 'Content-Type': type, ...headers });
	response.end(body);
}
