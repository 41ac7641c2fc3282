// @herald/client in Node against a real gateway (with ingestion and routing in front of it): the REST
// calls, and WebSocket live delivery, resume and token handling. Node 20 has WebSocket only with
// --experimental-websocket (which `npm run test:gateway` passes) and no EventSource, so SSE is
// tested in headless Chromium (system-tests' BrowserInboxIntegrationTests).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { HeraldClient, HeraldHttpError } from '@herald/client';

import { cancel, eventually, gatewayUrl, newUser, nextEvent, send, token } from './stack.mjs';

const clients = [];

function client(user, options = {}) {
	const herald = new HeraldClient({ url: gatewayUrl, token: token(user), transport: 'websocket', ...options });
	clients.push(herald);
	return herald;
}

after(() => clients.forEach((herald) => herald.close()));

test('Node has the WebSocket these tests need', () => {
	assert.equal(typeof WebSocket, 'function', 'run with --experimental-websocket (npm run test:gateway)');
});

test('reads the inbox, the unread count and marks read over REST', async () => {
	const user = newUser('rest');
	const herald = client(user);
	await send(user, 'First');
	await send(user, 'Second');

	const inbox = await eventually(async () => {
		const page = await herald.fetchInbox({ limit: 50 });
		return page.notifications.length === 2 && page;
	});
	assert.deepEqual(inbox.notifications.map((notification) => notification.title), ['Second', 'First']);
	assert.equal(inbox.lastSeq, 2);
	assert.equal(inbox.unread, 2);
	assert.equal(inbox.nextBefore, null);
	assert.equal((await herald.unreadCount()).count, 2);

	const older = await herald.fetchInbox({ before: 2, limit: 50 });
	assert.deepEqual(older.notifications.map((notification) => notification.seq), [1]);

	const unread = nextEvent(herald, 'unread');
	assert.deepEqual(await herald.markRead(1), { count: 1, readUpTo: 1, lastSeq: 2 });
	assert.deepEqual(await unread, { count: 1, readUpTo: 1 });
	assert.equal((await herald.unreadCount()).count, 1);
	assert.equal((await herald.fetchInbox()).notifications.find((notification) => notification.seq === 1).read, true);
});

test('reads and replaces the user\'s own preferences, which routing keeps, and no one else\'s', async () => {
	const user = newUser('preferences');
	const herald = client(user);
	assert.deepEqual(await herald.getPreferences(), { channels: {}, categories: {} });
	const preferences = {
		channels: { sms: false },
		categories: { 'marketing.*': { enabled: false }, 'order.*': { channels: ['inapp', 'push'] } },
		quietHours: { start: '22:00', end: '07:00' },
	};

	assert.deepEqual(await herald.setPreferences(preferences), preferences);

	assert.deepEqual(await eventually(async () => {
		const stored = await herald.getPreferences();
		return stored.quietHours && stored;
	}), preferences);
	assert.deepEqual(await client(newUser('other')).getPreferences(), { channels: {}, categories: {} });
});

test('preferences the user API refuses are refused naming every field, and change nothing', async () => {
	const herald = client(newUser('bad-preferences'));
	await assert.rejects(herald.setPreferences({ channels: { fax: true }, quietHours: { start: '25:00', end: '07:00' } }),
		(error) => {
			assert.ok(error instanceof HeraldHttpError);
			assert.equal(error.status, 400);
			assert.equal(error.problem.code, 'invalid_request');
			assert.deepEqual(error.problem.errors.map((problem) => problem.field), ['channels.fax', 'quietHours.start']);
			return true;
		});
	assert.deepEqual(await herald.getPreferences(), { channels: {}, categories: {} });
	await assert.rejects(new HeraldClient({ url: gatewayUrl, token: 'not-a-jwt' }).getPreferences(),
		(error) => error instanceof HeraldHttpError && error.status === 401 && error.problem.code === 'invalid_token');
});

test('a REST call with a bad token fails with the status', async () => {
	const herald = new HeraldClient({ url: gatewayUrl, token: 'not-a-jwt' });
	await assert.rejects(herald.unreadCount(), (error) => error instanceof HeraldHttpError && error.status === 401);
});

test('delivers live notifications over WebSocket and counts them unread', async () => {
	const user = newUser('live');
	const herald = client(user);
	const open = nextEvent(herald, 'state', (state) => state.state === 'open');
	herald.connect();
	const state = await open;
	assert.equal(state.transport, 'websocket');
	assert.ok(state.session);

	const notification = nextEvent(herald, 'notification');
	const counted = nextEvent(herald, 'unread', (unread) => unread.count === 1);
	await send(user, 'Live', 'Over WebSocket');
	const live = await notification;
	assert.equal(live.seq, 1);
	assert.equal(live.title, 'Live');
	assert.equal(live.body, 'Over WebSocket');
	assert.equal(live.category, 'npm.test');
	await counted;
	assert.equal(herald.unread, 1);
});

test('a cancelled event is retracted: the client says which notification to remove, and the inbox drops it', async () => {
	const user = newUser('retract');
	const herald = client(user);
	const open = nextEvent(herald, 'state', (state) => state.state === 'open');
	herald.connect();
	await open;

	const notification = nextEvent(herald, 'notification');
	const eventId = await send(user, 'Soon gone');
	const shown = await notification;
	const retracted = nextEvent(herald, 'retracted');
	// The status view may not know the event for a moment: 404 until it does.
	await eventually(async () => (await cancel(eventId)) === 202);
	const detail = await retracted;
	assert.equal(detail.id, shown.id);
	assert.ok(detail.seq > shown.seq, 'a retraction takes a seq of its own, after the notification');
	const inbox = await eventually(async () => {
		const page = await herald.fetchInbox();
		return page.notifications.length === 0 && page;
	});
	assert.equal(inbox.unread, 0);
});

test('resumes after a close: what was sent meanwhile arrives once, nothing twice', async () => {
	const user = newUser('resume');
	const herald = client(user);
	const seen = [];
	herald.addEventListener('notification', (event) => seen.push(event.detail.seq));
	const open = nextEvent(herald, 'state', (state) => state.state === 'open');
	herald.connect();
	await open;
	await send(user, 'Before');
	await eventually(() => seen.length === 1);
	herald.close();

	await send(user, 'While away');
	const reader = client(user);
	await eventually(async () => (await reader.unreadCount()).lastSeq === 2);

	const reopened = nextEvent(herald, 'state', (state) => state.state === 'open');
	herald.connect();
	await reopened;
	await send(user, 'After');
	await eventually(() => seen.length === 3);
	assert.deepEqual(seen, [1, 2, 3]);
	assert.equal(herald.lastSeq, 3);
});

test('starts after the since it is given', async () => {
	const user = newUser('since');
	const herald = client(user);
	await send(user, 'Old');
	const page = await eventually(async () => {
		const inbox = await herald.fetchInbox();
		return inbox.lastSeq === 1 && inbox;
	});
	const seen = [];
	herald.addEventListener('notification', (event) => seen.push(event.detail.title));
	const open = nextEvent(herald, 'state', (state) => state.state === 'open');
	herald.connect({ since: page.lastSeq });
	await open;
	await send(user, 'New');
	await eventually(() => seen.length === 1);
	assert.deepEqual(seen, ['New']);
});

test('an expired token without getToken stops the client with token_expired', async () => {
	const user = newUser('expired');
	const herald = client(user, { token: token(user, { expiresInSec: -60 }) });
	const error = nextEvent(herald, 'error');
	const closed = nextEvent(herald, 'state', (state) => state.state === 'closed');
	herald.connect();
	assert.equal((await error).code, 'token_expired');
	assert.equal((await closed).reason, 'token expired');
});

test('an expired token is replaced by getToken and the client connects', async () => {
	const user = newUser('refreshed');
	let asked = 0;
	const herald = client(user, {
		token: token(user, { expiresInSec: -60 }),
		getToken: async () => {
			asked++;
			return token(user);
		},
	});
	const open = nextEvent(herald, 'state', (state) => state.state === 'open');
	herald.connect();
	await open;
	assert.ok(asked >= 1);
	const notification = nextEvent(herald, 'notification');
	await send(user, 'With a fresh token');
	assert.equal((await notification).title, 'With a fresh token');
});
