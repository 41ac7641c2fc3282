// The running stack these tests talk to, from the environment that system-tests'
// NpmClientIntegrationTests sets: the gateway, the ingestion API and the demo tenant's secrets.
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';

function required(name) {
	const value = process.env[name];
	assert.ok(value, `${name} is not set: these tests run against a running stack (system-tests' NpmClientIntegrationTests)`);
	return value;
}

export const gatewayUrl = required('HERALD_GATEWAY_URL');
const ingestionUrl = required('HERALD_INGESTION_URL');
const apiKey = required('HERALD_API_KEY');
const tenant = required('HERALD_TENANT');
const jwtSecret = required('HERALD_JWT_SECRET');

/** How long a notification may take from the ingestion API to the gateway (routing in between). */
export const DELIVERED_WITHIN_MS = 60_000;

/** A user of its own for each test, so that tests share the stack but no state. */
export function newUser(name) {
	return `${name}-${randomUUID()}`;
}

/** An HS256 token of the demo tenant for the user, as the product's login would issue it. */
export function token(user, { expiresInSec = 3600 } = {}) {
	const now = Math.floor(Date.now() / 1000);
	const encode = (json) => Buffer.from(JSON.stringify(json)).toString('base64url');
	const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: user, tid: tenant, iat: now, exp: now + expiresInSec })}`;
	return `${unsigned}.${createHmac('sha256', jwtSecret).update(unsigned).digest('base64url')}`;
}

/** Sends an in-app notification to the user through the ingestion API; resolves with the event id. */
export async function send(user, title, body = 'From the test') {
	const response = await fetch(`${ingestionUrl}/v1/events`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ type: 'npm.test', recipients: { users: [user] }, channels: ['inapp'], content: { title, body } }),
	});
	const text = await response.text();
	assert.equal(response.status, 202, text);
	return JSON.parse(text).eventId;
}

/** Cancels an event through the ingestion API (`DELETE /v1/events/{id}`); resolves with the status. */
export async function cancel(eventId) {
	const response = await fetch(`${ingestionUrl}/v1/events/${encodeURIComponent(eventId)}`, {
		method: 'DELETE',
		headers: { Authorization: `Bearer ${apiKey}` },
	});
	return response.status;
}

/** Resolves once `check` returns a truthy value (polled), or rejects after `timeoutMs`. */
export async function eventually(check, timeoutMs = DELIVERED_WITHIN_MS) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let failure;
		try {
			const value = await check();
			if (value) {
				return value;
			}
		}
		catch (error) {
			failure = error;
		}
		if (Date.now() > deadline) {
			throw failure ?? new Error(`not true within ${timeoutMs} ms: ${check}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** Resolves with the `detail` of the first event of this type that passes `accept`. */
export function nextEvent(target, type, accept = () => true, timeoutMs = DELIVERED_WITHIN_MS) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			target.removeEventListener(type, listener);
			reject(new Error(`no '${type}' event within ${timeoutMs} ms`));
		}, timeoutMs);
		function listener(event) {
			if (accept(event.detail)) {
				clearTimeout(timer);
				target.removeEventListener(type, listener);
				resolve(event.detail);
			}
		}
		target.addEventListener(type, listener);
	});
}
