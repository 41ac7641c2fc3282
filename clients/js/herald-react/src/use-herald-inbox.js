import { HeraldClient } from '@herald/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

/** Notifications per inbox page, the first one and every "load older". */
const DEFAULT_PAGE_SIZE = 50;

/**
 * The user's inbox, live: loads the newest page over REST, then connects from that page's `lastSeq`,
 * so that no notification is missed or shown twice (docs/browser-client.md).
 *
 * @param {HeraldClient|object} clientOrOptions a `HeraldClient`, which the app keeps (the hook
 *   connects it but never closes it), or the options of one, which the hook creates, keeps while
 *   `url`, `token` and `transport` stay the same, and closes when the component unmounts
 * @param {{pageSize?: number}} [options]
 */
export function useHeraldInbox(clientOrOptions, { pageSize = DEFAULT_PAGE_SIZE } = {}) {
	const given = isClient(clientOrOptions);
	const client = useMemo(() => (given ? clientOrOptions : new HeraldClient(clientOrOptions)),
		given ? [clientOrOptions] : [clientOrOptions?.url, clientOrOptions?.token, clientOrOptions?.transport]);
	const [items, setItems] = useState([]);
	const [unread, setUnread] = useState(0);
	const [readUpTo, setReadUpTo] = useState(0);
	const [connection, setConnection] = useState({ state: 'connecting', transport: null });
	const [error, setError] = useState(null);
	const [loading, setLoading] = useState(true);
	const [nextBefore, setNextBefore] = useState(null);
	const [announcement, setAnnouncement] = useState('');
	const newestSeq = useRef(0);
	// Ids retracted while a page was on its way: the page may still list them.
	const retractedIds = useRef(new Set());

	useEffect(() => {
		let active = true;
		newestSeq.current = 0;
		retractedIds.current = new Set();
		setItems([]);
		setLoading(true);
		setError(null);
		const listeners = {
			notification: ({ detail }) => {
				newestSeq.current = Math.max(newestSeq.current, detail.seq);
				setItems((shown) => (shown.some((item) => item.seq === detail.seq) ? shown : [detail, ...shown]));
				setAnnouncement(`New notification: ${detail.title ?? ''}`);
			},
			retracted: ({ detail }) => {
				// Its event was cancelled: it leaves the list; the unread count comes in its own event.
				newestSeq.current = Math.max(newestSeq.current, detail.seq);
				retractedIds.current.add(detail.id);
				setItems((shown) => shown.filter((item) => item.id !== detail.id));
			},
			unread: ({ detail }) => {
				setUnread(Math.max(0, detail.count ?? 0));
				if (detail.readUpTo != null) {
					setReadUpTo((current) => Math.max(current, detail.readUpTo));
				}
			},
			reset: ({ detail }) => {
				// The inbox as it is now replaces what was shown (after an erasure seqs start again at 1).
				newestSeq.current = detail.inbox.lastSeq;
				setItems(detail.inbox.notifications);
				setReadUpTo(detail.inbox.readUpTo);
				setUnread(detail.inbox.unread);
				setNextBefore(detail.inbox.nextBefore ?? null);
			},
			state: ({ detail }) => setConnection({ state: detail.state, transport: detail.transport }),
			error: ({ detail }) => setError(detail),
		};
		Object.entries(listeners).forEach(([type, listener]) => client.addEventListener(type, listener));
		client.fetchInbox({ limit: pageSize }).then((page) => {
			if (!active) {
				return;
			}
			newestSeq.current = page.lastSeq;
			setItems((live) => merge(live, page.notifications, retractedIds.current));
			setUnread(page.unread);
			setReadUpTo((current) => Math.max(current, page.readUpTo));
			setNextBefore(page.nextBefore ?? null);
			setLoading(false);
			// Live notifications continue right after the page just shown: none missed, none twice.
			client.connect({ since: page.lastSeq });
		}, (failure) => {
			if (active) {
				setLoading(false);
				setError({ code: 'inbox_unavailable', message: failure.message });
				setConnection({ state: 'closed', transport: null });
			}
		});
		return () => {
			active = false;
			Object.entries(listeners).forEach(([type, listener]) => client.removeEventListener(type, listener));
			if (!given) {
				client.close();
			}
		};
	}, [client, pageSize]);

	const markRead = useCallback(async (seq) => {
		try {
			await client.markRead(seq);
		}
		catch (failure) {
			setError({ code: 'mark_read_failed', message: failure.message });
		}
	}, [client]);

	const markAllRead = useCallback(() => {
		const newest = Math.max(client.lastSeq ?? 0, newestSeq.current);
		return (newest > 0) ? markRead(newest) : Promise.resolve();
	}, [client, markRead]);

	const loadOlder = useCallback(async () => {
		if (nextBefore == null) {
			return;
		}
		try {
			const page = await client.fetchInbox({ before: nextBefore, limit: pageSize });
			setItems((shown) => merge(shown, page.notifications, retractedIds.current));
			setNextBefore(page.nextBefore ?? null);
		}
		catch (failure) {
			setError({ code: 'inbox_unavailable', message: failure.message });
		}
	}, [client, nextBefore, pageSize]);

	const shown = useMemo(() => items.map((item) => ({ ...item, read: item.read === true || item.seq <= readUpTo })),
		[items, readUpTo]);

	return {
		items: shown,
		unread,
		readUpTo,
		markRead,
		markAllRead,
		loadOlder,
		hasOlder: nextBefore != null,
		loading,
		state: connection.state,
		transport: connection.transport,
		error,
		announcement,
		client,
	};
}

function isClient(value) {
	return typeof value?.addEventListener === 'function' && typeof value?.fetchInbox === 'function';
}

/** The notifications of both lists, each once and none retracted, newest first. */
function merge(shown, page, retracted) {
	const seqs = new Set(shown.map((item) => item.seq));
	return [...shown, ...page.filter((item) => !seqs.has(item.seq) && !retracted.has(item.id))]
		.sort((a, b) => b.seq - a.seq);
}
