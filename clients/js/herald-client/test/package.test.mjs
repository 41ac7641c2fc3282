// The package as npm packs it: the gateway's client unchanged, its declarations, nothing else.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { test } from 'node:test';

import { HeraldClient, HeraldHttpError } from '@herald/client';

const packageDir = new URL('../', import.meta.url);

test('the module is the file the gateway serves, byte for byte', () => {
	const served = readFileSync(new URL('../../../websocket-gateway/src/main/resources/static/herald-client.js', packageDir));
	assert.deepEqual(readFileSync(new URL('dist/herald-client.js', packageDir)), served);
});

test('the packed package holds the module, its declarations and its README, and depends on nothing', () => {
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: packageDir, encoding: 'utf8' }));
	assert.deepEqual(packed.files.map((file) => file.path).sort(),
		['README.md', 'dist/herald-client.js', 'dist/index.d.ts', 'package.json']);
	const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8'));
	assert.equal(manifest.dependencies, undefined);
	assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
});

test('a client needs a token or a way to get one', () => {
	assert.throws(() => new HeraldClient({ url: 'http://127.0.0.1:1' }), TypeError);
	assert.throws(() => new HeraldClient(), TypeError);
});

test('a client refuses a transport it does not know', () => {
	assert.throws(() => new HeraldClient({ url: 'http://127.0.0.1:1', token: 'jwt', transport: 'long-polling' }),
		/transport must be 'auto', 'websocket' or 'sse'/);
});

test('a new client has no state until it connects', () => {
	const herald = new HeraldClient({ url: 'http://127.0.0.1:1/', token: 'jwt', transport: 'sse' });
	assert.equal(herald.lastSeq, null);
	assert.equal(herald.unread, null);
	assert.equal(herald.readUpTo, null);
	assert.equal(herald.transport, 'sse');
});

test('a client asked for WebSocket where there is none uses SSE', { skip: typeof WebSocket !== 'undefined' && 'this Node has WebSocket' }, () => {
	assert.equal(new HeraldClient({ url: 'http://127.0.0.1:1', token: 'jwt', transport: 'websocket' }).transport, 'sse');
});

test('HeraldHttpError carries the status', () => {
	const error = new HeraldHttpError(503, 'GET /v1/inbox: HTTP 503');
	assert.ok(error instanceof Error);
	assert.equal(error.status, 503);
	assert.equal(error.name, 'HeraldHttpError');
});

/**
 * A gateway on a free local port that answers each request with `answer(request, body)` and
 * remembers what it was sent; closed by the caller.
 */
async function gateway(answer) {
	const requests = [];
	const server = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => { body += chunk; });
		request.on('end', () => {
			requests.push({ method: request.method, url: request.url, headers: request.headers, body });
			const { status, type = 'application/json', json } = answer(request, body);
			response.writeHead(status, { 'Content-Type': type });
			response.end(JSON.stringify(json));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => server.close() };
}

test('getPreferences reads the user\'s own preferences with the token', async () => {
	const stored = { channels: { sms: false }, categories: { 'marketing.*': { enabled: false } } };
	const server = await gateway(() => ({ status: 200, json: stored }));
	try {
		const herald = new HeraldClient({ url: server.url, token: 'jwt-1' });
		assert.deepEqual(await herald.getPreferences(), stored);
		assert.equal(server.requests[0].method, 'GET');
		assert.equal(server.requests[0].url, '/v1/inbox/preferences');
		assert.equal(server.requests[0].headers.authorization, 'Bearer jwt-1');
	}
	finally {
		server.close();
	}
});

test('setPreferences replaces them with a JSON body and resolves with what is stored', async () => {
	const server = await gateway((request, body) => ({ status: 200, json: JSON.parse(body) }));
	try {
		const herald = new HeraldClient({ url: server.url, token: 'jwt-1' });
		const preferences = { channels: { email: false }, categories: {}, quietHours: { start: '22:00', end: '07:00' } };
		assert.deepEqual(await herald.setPreferences(preferences), preferences);
		assert.equal(server.requests[0].method, 'PUT');
		assert.equal(server.requests[0].url, '/v1/inbox/preferences');
		assert.equal(server.requests[0].headers['content-type'], 'application/json');
		assert.deepEqual(JSON.parse(server.requests[0].body), preferences);
	}
	finally {
		server.close();
	}
});

test('a refused body rejects with the status and the problem naming each field', async () => {
	const problem = {
		type: 'urn:herald:problem:invalid_request', title: 'The request is invalid', status: 400,
		detail: 'The field channels.fax is invalid.', code: 'invalid_request',
		errors: [{ field: 'channels.fax', message: 'is not a channel: use one of inapp, push, email, sms' }],
	};
	const server = await gateway(() => ({ status: 400, type: 'application/problem+json', json: problem }));
	try {
		const herald = new HeraldClient({ url: server.url, token: 'jwt-1' });
		await assert.rejects(herald.setPreferences({ channels: { fax: true } }), (error) => {
			assert.ok(error instanceof HeraldHttpError);
			assert.equal(error.status, 400);
			assert.deepEqual(error.problem, problem);
			assert.match(error.message, /PUT \/v1\/inbox\/preferences: HTTP 400: The field channels.fax is invalid\./);
			return true;
		});
	}
	finally {
		server.close();
	}
});

test('an expired token is renewed with getToken and the call made again', async () => {
	const server = await gateway((request) => (request.headers.authorization === 'Bearer fresh')
		? { status: 200, json: { channels: {}, categories: {} } }
		: { status: 401, type: 'application/problem+json', json: { status: 401, code: 'invalid_token' } });
	try {
		const herald = new HeraldClient({ url: server.url, token: 'stale', getToken: async () => 'fresh' });
		assert.deepEqual(await herald.getPreferences(), { channels: {}, categories: {} });
		assert.deepEqual(server.requests.map((request) => request.headers.authorization), ['Bearer stale', 'Bearer fresh']);
	}
	finally {
		server.close();
	}
});

test('a WebSocket that fails to open with an error alone is handled as closed', { timeout: 30_000 }, async (t) => {
	// Node 20's WebSocket reports a refused upgrade with `error` and never `close`. The gateway here
	// refuses the token over REST too, so the client must stop with token_expired at once instead of
	// waiting for its watchdog (twice the heartbeat, 50 s); the test's timeout stops a client that waits.
	const opened = [];
	class ErrorOnlyWebSocket {
		constructor(url) {
			opened.push(url);
			setTimeout(() => this.onerror?.(new Event('error')), 0);
		}

		close() {
		}
	}
	const runtime = globalThis.WebSocket;
	globalThis.WebSocket = ErrorOnlyWebSocket;
	t.after(() => { globalThis.WebSocket = runtime; });
	const server = await gateway(() => ({ status: 401, type: 'application/problem+json', json: { status: 401, code: 'invalid_token' } }));
	t.after(() => server.close());
	const herald = new HeraldClient({ url: server.url, token: 'expired', transport: 'websocket' });
	const error = new Promise((resolve) => herald.addEventListener('error', (event) => resolve(event.detail), { once: true }));
	herald.connect();
	assert.equal((await error).code, 'token_expired');
	assert.equal(opened.length, 1);
	assert.deepEqual(server.requests.map((request) => `${request.method} ${request.url}`), ['GET /v1/inbox/unread-count']);
	herald.close();
});
