// Declarations of @herald/react, written by hand against src/ (docs/browser-client.md).
import type { ReactElement } from 'react';
import type {
	HeraldClient,
	HeraldClientOptions,
	HeraldConnectionState,
	HeraldErrorDetail,
	HeraldNotification,
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
