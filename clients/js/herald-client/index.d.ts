// Declarations of herald-client.js, written by hand against its API (docs/browser-client.md); the
// JavaScript module itself is the gateway's /herald-client.js, unchanged.

/** A notification priority (API.md section 1). */
export type HeraldPriority = 'critical' | 'high' | 'normal' | 'low';

/** One notification, as the `notification` event and the inbox pages carry it. */
export interface HeraldNotification {
	/** Per user, from 1, without gaps: the order the inbox was appended in. */
	seq: number;
	/** The notification id, stable across redeliveries. */
	id: string;
	eventId: string;
	/** The event's `type`, such as `order.shipped`. */
	category: string;
	priority: HeraldPriority;
	title: string;
	body: string;
	/** The event's `data`, unchanged. */
	data: Record<string, unknown>;
	/** ISO 8601. */
	createdAt: string;
	/** Only on inbox pages: the read cursor is at or past its seq. */
	read?: boolean;
}

/** One page of the inbox (`GET /v1/inbox`), newest first. */
export interface HeraldInboxPage {
	notifications: HeraldNotification[];
	/** The newest seq of the inbox (0 when empty). */
	lastSeq: number;
	/** The oldest seq still kept. */
	oldestSeq: number;
	/** The read cursor. */
	readUpTo: number;
	/** The kept notifications after the read cursor. */
	unread: number;
	/** The `before` of the next, older page; `null` on the last page. */
	nextBefore: number | null;
}

/** The read state, as `markRead` and `unreadCount` answer it. */
export interface HeraldReadState {
	count: number;
	readUpTo: number;
	lastSeq: number;
}

export type HeraldConnectionState = 'connecting' | 'open' | 'closed';

export type HeraldTransport = 'websocket' | 'sse';

/** `detail` of the `unread` event; `readUpTo` is `null` until the server has told it. */
export interface HeraldUnreadDetail {
	count: number;
	readUpTo: number | null;
}

/** `detail` of the `reset` event: the history asked for is gone, `inbox` is the newest page. */
export interface HeraldResetDetail {
	reason: string;
	oldestSeq: number;
	inbox: HeraldInboxPage;
}

/** `detail` of the `state` event. */
export interface HeraldStateDetail {
	state: HeraldConnectionState;
	transport: HeraldTransport;
	/** The gateway's session id once `hello` arrived on the current connection. */
	session: string | null;
	reason: string | null;
}

/**
 * `detail` of the `error` event: a server `error` frame's code, or one of the client's own
 * (`token_expired`, `token_refresh_failed`, `too_many_bad_frames`, `ack_failed`, `reset_failed`).
 */
export interface HeraldErrorDetail {
	code: string;
	message: string;
}

/**
 * A retraction: the notification `id` was retracted (its event was cancelled) and is to be removed
 * wherever it is shown; `seq` takes its own place in the order, like a notification's.
 */
export interface HeraldRetractedDetail {
	seq: number;
	id: string;
}

/** The client's events, each a `CustomEvent` whose `detail` is of this type. */
export interface HeraldClientEventMap {
	notification: CustomEvent<HeraldNotification>;
	retracted: CustomEvent<HeraldRetractedDetail>;
	unread: CustomEvent<HeraldUnreadDetail>;
	reset: CustomEvent<HeraldResetDetail>;
	state: CustomEvent<HeraldStateDetail>;
	error: CustomEvent<HeraldErrorDetail>;
}

/** Where the client remembers the last seq it saw, such as `localStorage`. */
export interface HeraldSeqStorage {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
}

export interface HeraldClientOptions {
	/** The gateway's base URL, such as `https://gateway.example`; default: the page's origin. */
	url?: string;
	/** The user's JWT (`sub` = user, `tid` = tenant); required unless `getToken` is given. */
	token?: string;
	/**
	 * Returns a fresh token when the current one expired; without it an expired token stops the
	 * client with an `error` event (`token_expired`).
	 */
	getToken?: () => Promise<string>;
	/** `auto` (default): WebSocket, falling back to SSE when WebSocket is missing or fails to open. */
	transport?: 'auto' | HeraldTransport;
	/** Remembers the last seen seq per user, so that a reload resumes where the last page stopped. */
	storage?: HeraldSeqStorage;
}

/** The channels a user can switch. */
export type HeraldChannel = 'inapp' | 'push' | 'email' | 'sms';

/** A rule for the categories (event types) a pattern matches: `order.shipped`, `marketing.*`, `*`. */
export interface HeraldCategoryRule {
	/** `false` turns the category off. */
	enabled?: boolean;
	/** The only channels the category may use. */
	channels?: HeraldChannel[];
	/**
	 * `'off'` sends the category at once where the tenant digests it; a window (`'PT1H'`, or a
	 * time of day `'09:00'` in the user's timezone) digests it over that window.
	 */
	digest?: string;
}

/** A user's preferences, in the format of the user API (`PUT /v1/users/{userId}/preferences`). */
export interface HeraldPreferences {
	/** Channel switches; a channel not named is on. */
	channels?: Partial<Record<HeraldChannel, boolean>>;
	/** Rules by category pattern; the most specific matching pattern wins. */
	categories?: Record<string, HeraldCategoryRule>;
	/** Quiet hours in the user's timezone, `HH:mm`; non-critical notifications wait until they end. */
	quietHours?: { start: string; end: string };
}

/** One offending field of a refused body. */
export interface HeraldFieldProblem {
	field: string;
	message: string;
}

/** An RFC 9457 problem detail of Herald's error catalogue. */
export interface HeraldProblem {
	type: string;
	title: string;
	status: number;
	detail?: string;
	/** Stable: switch on it. */
	code: string;
	errors?: HeraldFieldProblem[];
	[member: string]: unknown;
}

/** A REST call answered with a status other than 2xx. */
export class HeraldHttpError extends Error {
	constructor(status: number, message: string, problem?: HeraldProblem | null);
	readonly name: 'HeraldHttpError';
	/** The HTTP status. */
	readonly status: number;
	/** The problem detail the gateway answered with, or `null`. */
	readonly problem: HeraldProblem | null;
}

/**
 * A real-time inbox connection for one user, over WebSocket or Server-Sent Events: every
 * notification is dispatched at most once and in seq order, and a reconnect resumes after the last
 * one dispatched.
 */
export class HeraldClient extends EventTarget {
	/** @throws TypeError without `token` and `getToken`, or with an unknown `transport` */
	constructor(options: HeraldClientOptions);

	/** The newest seq dispatched or known to the app; `null` until the starting point is known. */
	readonly lastSeq: number | null;
	/** The unread count; `null` until `hello`. */
	readonly unread: number | null;
	/** The read cursor; `null` until the server has told it. */
	readonly readUpTo: number | null;
	/** `undefined` until `connect()` or `close()`. */
	readonly state: HeraldConnectionState | undefined;
	/** The transport in use, or the one the next connection uses. */
	readonly transport: HeraldTransport;

	/**
	 * Opens the connection and keeps it open, reconnecting as needed, until `close()`.
	 * @param options `since`: the newest seq the app already has (such as an inbox page's
	 *   `lastSeq`); the client resumes right after it
	 */
	connect(options?: { since?: number }): void;

	/** Closes the connection for good (after sending a pending ack); `connect()` starts again. */
	close(): void;

	/** Marks everything up to `upTo` read on every device of the user; also dispatched as `unread`. */
	markRead(upTo: number): Promise<HeraldReadState>;

	/** One page of the inbox, newest first; `before`: only notifications with a smaller seq. */
	fetchInbox(page?: { before?: number | null; limit?: number }): Promise<HeraldInboxPage>;

	/** The user's unread count. */
	unreadCount(): Promise<HeraldReadState>;

	/** The user's own preferences; the defaults for a user who never set any. */
	getPreferences(): Promise<HeraldPreferences>;

	/**
	 * Replaces the user's own preferences as a whole; a 400 `HeraldHttpError` names every offending
	 * field in `problem.errors`.
	 */
	setPreferences(preferences: HeraldPreferences): Promise<HeraldPreferences>;

	addEventListener<K extends keyof HeraldClientEventMap>(type: K,
		listener: (this: HeraldClient, event: HeraldClientEventMap[K]) => void,
		options?: boolean | AddEventListenerOptions): void;
	addEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
		options?: boolean | AddEventListenerOptions): void;

	removeEventListener<K extends keyof HeraldClientEventMap>(type: K,
		listener: (this: HeraldClient, event: HeraldClientEventMap[K]) => void,
		options?: boolean | EventListenerOptions): void;
	removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
		options?: boolean | EventListenerOptions): void;
}
