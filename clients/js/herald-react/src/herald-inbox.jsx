import { useId } from 'react';

import { useHeraldInbox } from './use-herald-inbox.js';

/**
 * A drop-in inbox: a heading with the unread count, the connection state, "Mark all read", the
 * notifications as an ARIA feed (each an article labelled by its title, with a keyboard-reachable
 * "Mark read" button), "Load older", and a polite live region that announces new notifications.
 * Every text from a notification is rendered as text, never as HTML. Styled by herald-inbox.css
 * through `--herald-*` CSS variables; every element has a `herald-inbox__*` class.
 */
export function HeraldInbox({ client, pageSize, title = 'Notifications', emptyText = 'No notifications yet.', className }) {
	const inbox = useHeraldInbox(client, { pageSize });
	const id = useId();
	const heading = `${id}-heading`;
	const { items, unread, state, transport, error, loading } = inbox;
	return (
		<section className={className ? `herald-inbox ${className}` : 'herald-inbox'} aria-labelledby={heading}>
			<header className="herald-inbox__header">
				<h2 id={heading} className="herald-inbox__title">
					{title}{' '}
					<span className="herald-inbox__badge" data-count={unread} aria-hidden="true">{unread}</span>
					<span className="herald-inbox__sr-only">{`, ${unread} unread`}</span>
				</h2>
				<span className="herald-inbox__state" data-state={state} data-transport={transport ?? ''}>
					{transport ? `${state} (${transport})` : state}
				</span>
				<button type="button" className="herald-inbox__mark-all" onClick={inbox.markAllRead}
					disabled={items.length === 0 || unread === 0}>
					Mark all read
				</button>
			</header>
			{error && <p className="herald-inbox__error" role="alert">{`${error.code}: ${error.message}`}</p>}
			<div role="feed" className="herald-inbox__feed" aria-labelledby={heading} aria-busy={loading}>
				{items.map((item, index) => (
					<Item key={item.seq} id={`${id}-${item.seq}`} item={item} position={index + 1}
						size={inbox.hasOlder ? -1 : items.length} onMarkRead={inbox.markRead} />
				))}
			</div>
			{!loading && items.length === 0 && <p className="herald-inbox__empty">{emptyText}</p>}
			{inbox.hasOlder && (
				<button type="button" className="herald-inbox__older" onClick={inbox.loadOlder}>Load older</button>
			)}
			<p className="herald-inbox__sr-only" aria-live="polite">{inbox.announcement}</p>
		</section>
	);
}

function Item({ id, item, position, size, onMarkRead }) {
	const created = item.createdAt ? new Date(item.createdAt).toLocaleString() : '';
	const meta = [item.category, item.priority, created].filter(Boolean).join(' \u00b7 ');
	return (
		<article className="herald-inbox__item" data-seq={item.seq} data-read={item.read} data-priority={item.priority}
			aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} aria-posinset={position} aria-setsize={size}
			tabIndex={0}>
			<h3 id={`${id}-title`} className="herald-inbox__item-title">
				{item.read ? null : <span className="herald-inbox__sr-only">Unread: </span>}
				{item.title ?? ''}
			</h3>
			<p id={`${id}-body`} className="herald-inbox__item-body">{item.body ?? ''}</p>
			<p className="herald-inbox__item-meta">{meta}</p>
			{!item.read && (
				<button type="button" className="herald-inbox__mark-read" onClick={() => onMarkRead(item.seq)}
					title="Marks this notification and every older one read">
					Mark read
				</button>
			)}
		</article>
	);
}
