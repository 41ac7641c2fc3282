// The package as npm packs it: the gateway's client unchanged, its declarations, nothing else.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
