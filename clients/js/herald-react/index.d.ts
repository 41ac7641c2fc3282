// Declarations of @herald/react, written by hand against src/ (docs/browser-client.md).
import type { ReactElement } from 'react';
import type {
	HeraldClient,
	HeraldClientOptions,
	HeraldConnectionState,
	HeraldErrorDetail,
	HeraldFieldProblem,
	HeraldNotification,
	HeraldPreferences,
	HeraldProblem,
	HeraldTransport,
} from '@herald/client';

/** A notification as the hook shows it: `read` is always set, from the read cursor. */
export interface HeraldInboxItem extends HeraldNotification {
	read: boolean;
}

export interface UseHeraldInboxOptions {
	/** Notifications per page, the first one and every `loadOlder()`; default 50. */
	pageSize?: number;
}

/** What `useHeraldInbox` returns; re-rendered on every change. */
export interface HeraldInbox {
	/** The notifications shown, newest first: the first page, live ones and older pages. */
	items: HeraldInboxItem[];
	/** The user's unread count, on every device. */
	unread: number;
	/** The read cursor: every seq up to it is read. */
	readUpTo: number;
	/** Marks everything up to `seq` read on every device of the user; a failure sets `error`. */
	markRead(seq: number): Promise<void>;
	/** Marks everything up to the newest notification read. */
	markAllRead(): Promise<void>;
	/** Appends the next older page; does nothing when `hasOlder` is false. */
	loadOlder(): Promise<void>;
	/** Whether the inbox has older notifications than those shown. */
	hasOlder: boolean;
	/** True until the first page arrived (or failed). */
	loading: boolean;
	/** The connection: `closed` after `close()`, an expired token without `getToken`, or a first page that failed. */
	state: HeraldConnectionState;
	/** `null` until the client said which it uses. */
	transport: HeraldTransport | null;
	/** The last error: the client's `error` events, `inbox_unavailable`, `mark_read_failed`. */
	error: HeraldErrorDetail | null;
	/** What the live region announces: the title of the newest live notification. */
	announcement: string;
	/** The client in use. */
	client: HeraldClient;
}

/**
 * The user's inbox, live: loads the newest page, then connects from its `lastSeq`, so that no
 * notification is missed or shown twice.
 * @param client a `HeraldClient` the app keeps (connected by the hook, never closed by it), or the
 *   options of one that the hook creates, keeps while `url`, `token` and `transport` stay the same,
 *   and closes on unmount
 */
export function useHeraldInbox(client: HeraldClient | HeraldClientOptions, options?: UseHeraldInboxOptions): HeraldInbox;

/** Why the preferences could not be loaded or a change was not kept. */
export interface HeraldPreferencesError extends HeraldErrorDetail {
	/**
	 * `preferences_unavailable`: loading failed; `preferences_refused`: the gateway refused a
	 * change (400, `errors` names each field); `preferences_not_saved`: a change failed otherwise
	 * (503, the network); `preferences_not_loaded`: a change before the preferences were loaded.
	 */
	code: 'preferences_unavailable' | 'preferences_refused' | 'preferences_not_saved' | 'preferences_not_loaded';
	/** The HTTP status, `null` when there was none. */
	status: number | null;
	/** The gateway's problem detail, or `null`. */
	problem: HeraldProblem | null;
	/** The offending fields of a refused change, such as `channels.fax`; empty otherwise. */
	errors: HeraldFieldProblem[];
}

/** A change: the top-level members to replace, or a function of the preferences shown. */
export type HeraldPreferencesChange = Partial<HeraldPreferences>
	| ((current: HeraldPreferences) => HeraldPreferences);

/** What `useHeraldPreferences` returns; re-rendered on every change. */
export interface HeraldPreferencesState {
	/** The preferences shown: the gateway's, or a change not yet confirmed; `null` until loaded. */
	preferences: HeraldPreferences | null;
	/** True while loading (on mount and `reload()`). */
	loading: boolean;
	/** True while a change is on its way. */
	saving: boolean;
	/** The last failure; cleared by the next load or change. */
	error: HeraldPreferencesError | null;
	/**
	 * Shows the change at once and stores it (the whole preferences, as `PUT` replaces them).
	 * Changes are sent one at a time in order; if the newest is refused, the preferences the gateway
	 * last confirmed are shown again and `error` says why.
	 * @returns what is stored, or `null` when the change was not kept (never rejects)
	 */
	update(change: HeraldPreferencesChange): Promise<HeraldPreferences | null>;
	/** Loads them again; a change made meanwhile stays shown. */
	reload(): Promise<void>;
	/** The client in use. */
	client: HeraldClient;
}

/**
 * The user's own preferences (`/v1/inbox/preferences`): loaded on mount, changed optimistically
 * and put back when the gateway refuses a change.
 * @param client a `HeraldClient` the app keeps, or the options of one that the hook creates (never
 *   connected), keeps while `url` and `token` stay the same, and closes on unmount
 */
export function useHeraldPreferences(client: HeraldClient | HeraldClientOptions): HeraldPreferencesState;

export interface HeraldInboxProps {
	/** As `useHeraldInbox`'s first argument. */
	client: HeraldClient | HeraldClientOptions;
	/** Notifications per page; default 50. */
	pageSize?: number;
	/** The heading; default `Notifications`. */
	title?: string;
	/** Shown when the inbox is empty; default `No notifications yet.` */
	emptyText?: string;
	/** Added to the root element's `herald-inbox` class. */
	className?: string;
}

/**
 * A drop-in, accessible inbox: an ARIA feed of articles with keyboard-reachable "Mark read"
 * buttons, an unread badge, "Mark all read", "Load older", and a live region announcing new
 * notifications. Themed by the `--herald-*` variables of `@herald/react/herald-inbox.css`.
 */
export function HeraldInbox(props: HeraldInboxProps): ReactElement;
