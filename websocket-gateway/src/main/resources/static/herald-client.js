/**
 * Herald's browser client for real-time inboxes (API.md section 3). A dependency-free ES module:
 *
 *     import { HeraldClient } from '/herald-client.js';
 *     const herald = new HeraldClient({ token, storage: localStorage });
 *     herald.addEventListener('notification', (e) => show(e.detail));
 *     herald.connect();
 *
 * Guarantees: every notification is dispatched at most once and in `seq` order; after a
 * reconnect the client resumes from the last `seq` it dispatched, so nothing is missed unless the
 * server answers `reset`, which the client handles by fetching the inbox over REST and firing
 * `reset`. Events (all `CustomEvent`s, data in `detail`):
 * - `notification`: one notification `{seq, id, eventId, category, priority, title, body, data, createdAt}`;
 * - `retracted`: `{seq, id}`: the notification `id` was retracted (its event was cancelled) and
 *   is to be removed wherever it is shown; `seq` takes a place in the order like a notification's;
 * - `unread`: `{count, readUpTo}` (`readUpTo` may be `null` until the server has told it);
 * - `reset`: `{reason, oldestSeq, inbox}`, where `inbox` is the newest page from `fetchInbox()`;
 * - `state`: `{state: 'connecting'|'open'|'closed', transport: 'websocket'|'sse', session, reason}`;
 * - `error`: `{code, message}`, for server `error` frames, an expired token without `getToken`,
 *   and failed acknowledgements. The client keeps running unless its state is `closed`.
 * @module herald-client
 */

/** First reconnect delay ceiling; each failed attempt doubles it (full jitter picks 0..ceiling). */
const BACKOFF_BASE_MS = 500;
/** Reconnect delay ceiling. */
const BACKOFF_CAP_MS = 30_000;
/** A connection open for this long counts as healthy: the next reconnect starts from the base delay. */
const STABLE_AFTER_MS = 10_000;
/** Minimum delay after close code 4429 (too many connections): retrying fast only makes it worse. */
const TOO_MANY_CONNECTIONS_MS = 10_000;
/** Acks are cumulative, so one per burst is enough. */
const ACK_DEBOUNCE_MS = 200;
/** Heartbeat assumed until `hello` says otherwise; also bounds how long opening may take. */
const DEFAULT_HEARTBEAT_SEC = 25;
/** In `auto` mode, WebSocket attempts that may fail to open in a row before switching to SSE. */
const WEBSOCKET_FAILURES_BEFORE_SSE = 3;

const CLOSE_NORMAL = 1000;
const CLOSE_GOING_AWAY = 1001;
/** What a browser reports for a connection that failed without a close handshake. */
const CLOSE_ABNORMAL = 1006;
const CLOSE_TRY_AGAIN_LATER = 1013;
const CLOSE_BAD_FRAMES = 4400;
const CLOSE_TOKEN_EXPIRED = 4401;
const CLOSE_TOO_MANY_CONNECTIONS = 4429;

/**
 * A REST call answered with a status other than 2xx; `status` holds it, and `problem` the RFC 9457
 * problem detail the gateway answered with (`code`, `detail`, and `errors` naming each offending
 * field of a body it refused), or `null`.
 */
export class HeraldHttpError extends Error {
	/** @param {number} status @param {string} message @param {object|null} [problem] */
	constructor(status, message, problem = null) {
		super(message);
		this.name = 'HeraldHttpError';
		this.status = status;
		this.problem = problem;
	}
}

/**
 * A real-time inbox connection for one user, over WebSocket or Server-Sent Events. Its API is what
 * has JSDoc here plus the read-only fields `lastSeq`, `unread`, `readUpTo`, `state` and
 * `transport`; every other method is internal and may change.
 */
export class HeraldClient extends EventTarget {
	/**
	 * @param {object} options
	 * @param {string} [options.url] the gateway's base URL, such as `https://gateway.example`; default: this page's origin
	 * @param {string} [options.token] the user's JWT (`sub` = user, `tid` = tenant)
	 * @param {() => Promise<string>} [options.getToken] returns a fresh token when the current one expired;
	 *   without it an expired token stops the client with an `error` event (`token_expired`)
	 * @param {'auto'|'websocket'|'sse'} [options.transport] `auto` (default) uses WebSocket and falls back to
	 *   SSE when WebSocket is missing or fails to open several times in a row
	 * @param {{getItem(key: string): string|null, setItem(key: string, value: string): void}} [options.storage]
	 *   remembers the last seen `seq` per user (for example `localStorage`), so that a reload resumes
	 *   where the last page stopped; unused for starting when `connect()` is given `since`
	 */
	constructor({ url, token, getToken, transport = 'auto', storage } = {}) {
		super();
		if (!['auto', 'websocket', 'sse'].includes(transport)) {
			throw new TypeError(`transport must be 'auto', 'websocket' or 'sse', not '${transport}'`);
		}
		if (!token && !getToken) {
			throw new TypeError('a token or a getToken function is required');
		}
		this.baseUrl = new URL(url ?? globalThis.location.origin).toString().replace(/\/$/, '');
		this.token = token ?? null;
		this.getToken = getToken ?? null;
		this.transport = (transport === 'sse' || typeof WebSocket === 'undefined') ? 'sse' : 'websocket';
		this.fallbackAllowed = transport === 'auto';
		this.storage = storage ?? null;
		/** The newest `seq` dispatched (or known to the app); `null` until `hello` tells the starting point. */
		this.lastSeq = null;
		this.restored = false;
		/** Notifications with a seq above this one are not yet counted in `unread`. */
		this.unreadBase = null;
		this.unread = null;
		this.readUpTo = null;
		this.running = false;
		this.connection = null;
		this.attempts = 0;
		this.websocketFailures = 0;
		this.ackedUpTo = 0;
		this.timers = {};
	}

	/**
	 * Opens the connection and keeps it open, reconnecting as needed, until {@link close}.
	 * @param {{since?: number}} [options] `since`: the newest `seq` the app already has, such as the
	 *   `lastSeq` of an inbox page it just fetched; the client resumes right after it. Without it the
	 *   client resumes after the seq it saw last, or the stored one, or else starts with what arrives
	 *   after connecting.
	 */
	connect({ since } = {}) {
		if (Number.isInteger(since) && since >= 0 && !(this.lastSeq > since)) {
			this.lastSeq = since;
		}
		if (this.running) {
			return;
		}
		this.running = true;
		this.open();
	}

	/** Closes the connection for good (after sending a pending ack); `connect()` starts again. */
	close() {
		this.running = false;
		this.flushAck();
		this.drop(CLOSE_NORMAL);
		Object.keys(this.timers).forEach((name) => this.clearTimer(name));
		this.setState('closed', 'closed by the app');
	}

	/**
	 * Marks everything up to `upTo` read on every device of the user; read state only moves forward.
	 * Goes over REST on every transport (rather than the WebSocket `read` frame) because the answer
	 * carries the new count, so the caller never depends on an `unread` frame coming back.
	 * @param {number} upTo a seq
	 * @returns {Promise<{count: number, readUpTo: number, lastSeq: number}>} the new read state, also
	 *   dispatched as an `unread` event
	 */
	async markRead(upTo) {
		const state = await this.request('POST', '/v1/inbox/read', { upTo });
		this.applyUnread(state);
		return state;
	}

	/**
	 * One page of the inbox, newest first.
	 * @param {{before?: number, limit?: number}} [page] `before`: only notifications with a smaller seq
	 * @returns {Promise<{notifications: object[], lastSeq: number, oldestSeq: number, readUpTo: number,
	 *   unread: number, nextBefore: number|null}>}
	 */
	fetchInbox({ before, limit = 50 } = {}) {
		const query = new URLSearchParams({ limit: String(limit) });
		if (before != null) {
			query.set('before', String(before));
		}
		return this.request('GET', `/v1/inbox?${query}`);
	}

	/** @returns {Promise<{count: number, readUpTo: number, lastSeq: number}>} the user's unread count */
	unreadCount() {
		return this.request('GET', '/v1/inbox/unread-count');
	}

	/**
	 * The user's own notification preferences, as the platform applies them: channel switches,
	 * category rules and quiet hours (`{channels, categories, quietHours?}`, the format of the user
	 * API); the defaults (`{channels: {}, categories: {}}`) for a user who never set any.
	 * @returns {Promise<{channels: object, categories: object, quietHours?: {start: string, end: string}}>}
	 */
	getPreferences() {
		return this.request('GET', '/v1/inbox/preferences');
	}

	/**
	 * Replaces the user's own preferences as a whole (a field left out is cleared: read them with
	 * `getPreferences()`, change what the user changed, send them back). Rejects with a
	 * `HeraldHttpError` of status 400 whose `problem.errors` names every offending field.
	 * @param {{channels?: object, categories?: object, quietHours?: {start: string, end: string}}} preferences
	 * @returns {Promise<{channels: object, categories: object, quietHours?: {start: string, end: string}}>} what is stored
	 */
	setPreferences(preferences) {
		return this.request('PUT', '/v1/inbox/preferences', preferences);
	}

	// Connection lifecycle

	async open() {
		if (!this.token) {
			if (!(await this.refreshToken())) {
				return;
			}
		}
		if (!this.running) {
			return;
		}
		if (!this.restored) {
			// Read only now: the storage key names the user, who is known once there is a token.
			// Another tab may have stored a newer seq than the app has shown, so `since` wins.
			this.restored = true;
			this.lastSeq ??= this.loadSeq();
		}
		this.setState('connecting');
		const connection = { kind: this.transport, opened: false, openedAt: 0, session: null };
		this.connection = connection;
		const query = new URLSearchParams({ access_token: this.token });
		// Where to resume goes in the URL, for both transports: the gateway replays from there before
		// any live notification, however late a first frame would arrive on a busy network.
		if (this.lastSeq != null) {
			query.set('since', String(this.lastSeq));
		}
		if (connection.kind === 'websocket') {
			const socket = new WebSocket(`${this.baseUrl.replace(/^http/, 'ws')}/v1/ws?${query}`);
			connection.socket = socket;
			socket.onopen = () => this.onOpen(connection);
			socket.onmessage = (message) => this.onFrame(connection, message.data);
			socket.onclose = (event) => this.onClose(connection, event.code, event.reason);
			// A socket that fails to open fires `error`, and in a browser `close` after it; some runtimes
			// (Node 20's WebSocket) fire `error` alone, which would leave the client waiting for its
			// watchdog. The first of the two handles it: onClose ignores a connection already dropped.
			socket.onerror = () => {
				if (!connection.opened) {
					this.onClose(connection, CLOSE_ABNORMAL, 'failed to open');
				}
			};
		}
		else {
			const source = new EventSource(`${this.baseUrl}/v1/sse?${query}`);
			connection.source = source;
			source.onopen = () => this.onOpen(connection);
			source.onmessage = (message) => this.onFrame(connection, message.data);
			// EventSource would retry by itself, but with the first URL's `since` and without backoff.
			source.onerror = () => this.onClose(connection, 0, 'event stream failed');
		}
		this.watch(connection, DEFAULT_HEARTBEAT_SEC);
	}

	onOpen(connection) {
		if (connection !== this.connection) {
			return;
		}
		connection.opened = true;
		connection.openedAt = Date.now();
		if (connection.kind === 'websocket') {
			this.websocketFailures = 0;
		}
	}

	async onClose(connection, code, reason) {
		if (connection !== this.connection) {
			return;
		}
		this.drop(CLOSE_NORMAL);
		if (!this.running) {
			return;
		}
		if (connection.opened && Date.now() - connection.openedAt >= STABLE_AFTER_MS) {
			this.attempts = 0;
		}
		// A refused upgrade (401) looks like any failed connection to a browser: ask the REST API why.
		const server = (code === CLOSE_TOKEN_EXPIRED) ? 'rejects-token' : connection.opened ? 'reachable' : await this.probe();
		if (!this.running || this.connection) {
			return; // closed, or connected again, while the REST API was asked
		}
		if (server === 'rejects-token') {
			if (await this.refreshToken()) {
				this.reconnect(0, 'token refreshed');
			}
			return;
		}
		// Only a server that answers over HTTP but not over WebSocket (a proxy in the way) means
		// WebSocket is unavailable; a server that is down for a restart does not.
		if (!connection.opened && server === 'reachable' && connection.kind === 'websocket' && this.fallbackAllowed
				&& ++this.websocketFailures >= WEBSOCKET_FAILURES_BEFORE_SSE) {
			this.transport = 'sse';
			this.attempts = 0;
			this.reconnect(0, 'WebSocket failed to open, falling back to SSE');
			return;
		}
		if (code === CLOSE_BAD_FRAMES) {
			this.dispatch('error', { code: 'too_many_bad_frames', message: reason || 'closed after bad frames' });
		}
		let delay = this.backoff();
		if (code === CLOSE_GOING_AWAY || code === CLOSE_TRY_AGAIN_LATER) {
			// A planned close: come back promptly, spread a little so that clients do not arrive at once.
			delay = Math.random() * BACKOFF_BASE_MS;
		}
		else if (code === CLOSE_TOO_MANY_CONNECTIONS) {
			delay = TOO_MANY_CONNECTIONS_MS + Math.random() * (BACKOFF_CAP_MS - TOO_MANY_CONNECTIONS_MS);
		}
		this.reconnect(delay, reason || `closed (${code})`);
	}

	/** Exponential backoff with full jitter: a random delay below a ceiling that doubles per attempt. */
	backoff() {
		return Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.attempts++);
	}

	reconnect(delay, reason) {
		this.setState('connecting', reason);
		this.setTimer('reconnect', delay, () => this.open());
	}

	/** Forgets the current connection and closes it; its late callbacks are ignored. */
	drop(code) {
		const connection = this.connection;
		this.connection = null;
		this.clearTimer('ping');
		this.clearTimer('watchdog');
		connection?.socket?.close(code);
		connection?.source?.close();
	}

	/** Reconnects when nothing at all arrived for twice the heartbeat (or opening takes that long). */
	watch(connection, heartbeatSec) {
		this.setTimer('watchdog', 2 * heartbeatSec * 1000, () => {
			connection.socket?.close(CLOSE_NORMAL);
			this.onClose(connection, 0, 'no heartbeat');
		});
	}

	// Frames

	onFrame(connection, text) {
		if (connection !== this.connection) {
			return;
		}
		let frame;
		try {
			frame = JSON.parse(text);
		}
		catch {
			return;
		}
		if (connection.kind === 'websocket' || connection.heartbeatSec == null) {
			this.watch(connection, connection.heartbeatSec ?? DEFAULT_HEARTBEAT_SEC);
		}
		switch (frame.type) {
			case 'hello': return this.onHello(connection, frame);
			case 'notification': return this.onNotification(frame);
			case 'retracted': return this.onRetracted(frame);
			case 'reset': return this.onReset(frame);
			case 'unread': return this.applyUnread(frame);
			case 'error': return this.dispatch('error', { code: frame.code, message: frame.message });
			default: return undefined; // pong, resumed, and frame types added later
		}
	}

	onHello(connection, hello) {
		connection.session = hello.session;
		connection.heartbeatSec = (hello.heartbeatSec > 0) ? hello.heartbeatSec : DEFAULT_HEARTBEAT_SEC;
		// A seq newer than the inbox's (an inbox erased since) is answered with `reset` by the server.
		if (this.lastSeq == null) {
			this.lastSeq = hello.lastSeq;
			this.saveSeq();
		}
		this.unreadBase = hello.lastSeq;
		this.unread = hello.unread;
		this.dispatch('unread', { count: this.unread, readUpTo: this.readUpTo });
		this.scheduleAck();
		if (connection.kind === 'websocket') {
			this.repeat('ping', connection.heartbeatSec * 1000, () => this.send({ type: 'ping' }));
			this.watch(connection, connection.heartbeatSec);
		}
		else {
			// SSE cannot ping, and the server's keep-alive comments never reach scripts: EventSource's own
			// error detection takes over once the stream is open.
			this.clearTimer('watchdog');
		}
		this.setState('open');
	}

	onNotification(frame) {
		const { type, ...notification } = frame;
		if (this.pendingReset) {
			// Compared once the inbox says where to continue: the seq held now may be from an erased inbox.
			this.pendingReset.push(frame);
			return;
		}
		if (this.lastSeq != null && notification.seq <= this.lastSeq) {
			return;
		}
		this.lastSeq = notification.seq;
		this.saveSeq();
		if (notification.seq > (this.unreadBase ?? 0)) {
			this.unreadBase = notification.seq;
			this.unread = (this.unread ?? 0) + 1;
			this.dispatch('unread', { count: this.unread, readUpTo: this.readUpTo });
		}
		this.dispatch('notification', notification);
		this.scheduleAck();
	}

	/** A retraction: takes its seq, counts nothing as unread (the server's `unread` frame follows). */
	onRetracted(frame) {
		const { type, ...retraction } = frame;
		if (this.pendingReset) {
			this.pendingReset.push(frame);
			return;
		}
		if (this.lastSeq != null && retraction.seq <= this.lastSeq) {
			return;
		}
		this.lastSeq = retraction.seq;
		this.saveSeq();
		if (retraction.seq > (this.unreadBase ?? 0)) {
			this.unreadBase = retraction.seq;
		}
		this.dispatch('retracted', retraction);
		this.scheduleAck();
	}

	async onReset({ reason, oldestSeq }) {
		if (this.pendingReset) {
			return;
		}
		// Live notifications that arrive while the inbox is fetched wait, then only newer ones pass.
		this.pendingReset = [];
		let inbox;
		try {
			inbox = await this.fetchInbox();
		}
		catch (error) {
			this.pendingReset = null;
			this.dispatch('error', { code: 'reset_failed', message: error.message });
			this.drop(CLOSE_NORMAL);
			if (this.running) {
				this.reconnect(this.backoff(), 'reset failed');
			}
			return;
		}
		if (!this.running) {
			this.pendingReset = null;
			return;
		}
		const waiting = this.pendingReset;
		this.pendingReset = null;
		// The inbox is the truth now, even where it went back (an erased inbox starts again at seq 1).
		this.lastSeq = inbox.lastSeq;
		this.unreadBase = inbox.lastSeq;
		this.ackedUpTo = Math.min(this.ackedUpTo, inbox.lastSeq);
		this.readUpTo = null;
		this.saveSeq();
		this.dispatch('reset', { reason, oldestSeq, inbox });
		this.applyUnread({ count: inbox.unread, readUpTo: inbox.readUpTo });
		waiting.forEach((frame) => ((frame.type === 'retracted') ? this.onRetracted(frame) : this.onNotification(frame)));
		if (this.connection?.kind === 'websocket') {
			this.send({ type: 'resume', since: this.lastSeq });
		}
		this.scheduleAck();
	}

	applyUnread({ count, readUpTo }) {
		if (readUpTo != null && this.readUpTo != null && readUpTo < this.readUpTo) {
			return; // an older answer overtaken by a newer one
		}
		this.readUpTo = readUpTo ?? this.readUpTo;
		this.unread = count;
		this.dispatch('unread', { count, readUpTo: this.readUpTo });
	}

	// Acknowledgements

	scheduleAck() {
		if (this.lastSeq != null && this.lastSeq > this.ackedUpTo && !this.timers.ack) {
			this.setTimer('ack', ACK_DEBOUNCE_MS, () => this.flushAck());
		}
	}

	flushAck() {
		this.clearTimer('ack');
		const upTo = this.lastSeq;
		const connection = this.connection;
		if (upTo == null || upTo <= this.ackedUpTo || !connection?.opened) {
			return;
		}
		this.ackedUpTo = upTo;
		if (connection.kind === 'websocket') {
			this.send({ type: 'ack', upTo });
			return;
		}
		this.request('POST', '/v1/inbox/ack', { upTo }, true).catch((error) => {
			this.ackedUpTo = Math.min(this.ackedUpTo, upTo - 1);
			this.dispatch('error', { code: 'ack_failed', message: error.message });
		});
	}

	// Helpers

	send(frame) {
		const socket = this.connection?.socket;
		if (socket?.readyState === WebSocket.OPEN) {
			socket.send(JSON.stringify(frame));
		}
	}

	async request(method, path, body, keepalive = false, retried = false) {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			keepalive,
			headers: {
				Authorization: `Bearer ${this.token}`,
				...(body !== undefined && { 'Content-Type': 'application/json' }),
			},
			body: (body !== undefined) ? JSON.stringify(body) : undefined,
		});
		if (response.status === 401 && this.getToken && !retried) {
			this.token = await this.getToken();
			return this.request(method, path, body, keepalive, true);
		}
		if (!response.ok) {
			const problem = await HeraldClient.#problemOf(response);
			const detail = problem?.detail ? `: ${problem.detail}` : '';
			throw new HeraldHttpError(response.status, `${method} ${path}: HTTP ${response.status}${detail}`, problem);
		}
		const text = await response.text();
		return text ? JSON.parse(text) : null;
	}

	/** The problem details of a failed answer, or null when it has none. */
	static async #problemOf(response) {
		if (!(response.headers.get('Content-Type') ?? '').startsWith('application/problem+json')) {
			return null;
		}
		try {
			return await response.json();
		}
		catch {
			return null;
		}
	}

	/** @returns {Promise<'rejects-token'|'reachable'|'unreachable'>} what the REST API says to the token */
	async probe() {
		try {
			const response = await fetch(`${this.baseUrl}/v1/inbox/unread-count`, {
				headers: { Authorization: `Bearer ${this.token}` },
			});
			return (response.status === 401) ? 'rejects-token' : response.ok ? 'reachable' : 'unreachable';
		}
		catch {
			return 'unreachable';
		}
	}

	/**
	 * Gets a new token from `getToken`. Without `getToken` the client stops with `token_expired`; when
	 * `getToken` fails it is asked again after a backoff.
	 * @returns {Promise<boolean>} whether there is a new token and the client still runs
	 */
	async refreshToken() {
		if (!this.getToken) {
			this.running = false;
			this.dispatch('error', { code: 'token_expired', message: 'the token expired and no getToken was given' });
			this.setState('closed', 'token expired');
			return false;
		}
		try {
			this.token = await this.getToken();
			return this.running;
		}
		catch (error) {
			this.dispatch('error', { code: 'token_refresh_failed', message: String(error?.message ?? error) });
			if (this.running) {
				this.reconnect(this.backoff(), 'token refresh failed');
			}
			return false;
		}
	}

	setState(state, reason) {
		const detail = { state, transport: this.transport, session: this.connection?.session ?? null, reason: reason ?? null };
		this.state = state;
		this.dispatch('state', detail);
	}

	dispatch(type, detail) {
		this.dispatchEvent(new CustomEvent(type, { detail }));
	}

	storageKey() {
		const claims = decodeClaims(this.token);
		return `herald.lastSeq.${claims?.tid ?? ''}.${claims?.sub ?? ''}`;
	}

	loadSeq() {
		try {
			const value = this.storage?.getItem(this.storageKey());
			return (value != null && /^\d+$/.test(value)) ? Number(value) : null;
		}
		catch {
			return null; // storage may be blocked (private mode, sandboxed frame)
		}
	}

	saveSeq() {
		try {
			this.storage?.setItem(this.storageKey(), String(this.lastSeq));
		}
		catch {
			// the client works without storage; a reload then starts from the inbox's newest seq
		}
	}

	setTimer(name, delay, action) {
		this.clearTimer(name);
		this.timers[name] = setTimeout(() => {
			delete this.timers[name];
			action();
		}, delay);
	}

	repeat(name, period, action) {
		this.clearTimer(name);
		this.timers[name] = setInterval(action, period);
	}

	clearTimer(name) {
		clearTimeout(this.timers[name]);
		clearInterval(this.timers[name]);
		delete this.timers[name];
	}
}

/** The JWT's claims, read without verifying (only the server can); `null` when unreadable. */
function decodeClaims(token) {
	try {
		const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
		return JSON.parse(atob(payload.padEnd(payload.length + (4 - payload.length % 4) % 4, '=')));
	}
	catch {
		return null;
	}
}
