// The demo inbox: loads the newest page over REST, then shows live notifications from
// HeraldClient. The token comes from the address's fragment (#token=...), which browsers never
// send to the server, so it stays out of access logs. Every text from a notification is set with
// textContent: nothing from the server is ever parsed as HTML. Served from another origin than the
// gateway, the page names the gateway in the fragment (#gateway=https://...) and loads the client
// from there, as a web app on its own origin would.
const params = new URLSearchParams(location.hash.slice(1));
const gateway = params.get('gateway');
const { HeraldClient } = await import(gateway ? `${new URL(gateway).origin}/herald-client.js` : '../herald-client.js');

const PAGE_SIZE = 50;

const list = document.getElementById('notifications');
const unreadBadge = document.getElementById('unread');
const stateLabel = document.getElementById('state');
const markAllRead = document.getElementById('mark-all-read');
const loadOlder = document.getElementById('load-older');
const message = document.getElementById('message');

const token = params.get('token');
let readUpTo = 0;
let nextBefore = null;

if (!token) {
	showMessage('No token: open this page as inbox.html#token=<jwt> (./platform up prints such a link).');
	setState({ state: 'closed', transport: '' });
}
else {
	// No storage: the page starts from the inbox page it shows (see connect below), not from a stored seq.
	start(new HeraldClient({ url: gateway ?? undefined, token, transport: params.get('transport') ?? 'auto' }));
}

async function start(herald) {
	herald.addEventListener('notification', (event) => {
		if (!shown(event.detail.seq)) {
			list.prepend(item(event.detail));
			markAllRead.disabled = false;
		}
	});
	herald.addEventListener('retracted', (event) => {
		for (const li of list.querySelectorAll('li[data-id]')) {
			if (li.dataset.id === event.detail.id) {
				li.remove();
			}
		}
	});
	herald.addEventListener('unread', (event) => showUnread(event.detail.count, event.detail.readUpTo));
	herald.addEventListener('state', (event) => setState(event.detail));
	herald.addEventListener('reset', (event) => {
		// The inbox as it is now replaces what was shown (after an erasure seqs start again at 1).
		list.replaceChildren();
		readUpTo = 0;
		showPage(event.detail.inbox);
	});
	herald.addEventListener('error', (event) => showMessage(`${event.detail.code}: ${event.detail.message}`));
	markAllRead.addEventListener('click', () => {
		const newest = Math.max(herald.lastSeq ?? 0, newestShownSeq());
		if (newest > 0) {
			markRead(herald, newest);
		}
	});
	list.addEventListener('click', (event) => {
		const clicked = event.target.closest('li[data-seq]');
		if (clicked && !clicked.classList.contains('read')) {
			markRead(herald, Number(clicked.dataset.seq));
		}
	});
	loadOlder.addEventListener('click', async () => {
		showPage(await herald.fetchInbox({ before: nextBefore, limit: PAGE_SIZE }));
	});
	let inbox;
	try {
		inbox = await herald.fetchInbox({ limit: PAGE_SIZE });
	}
	catch (error) {
		showMessage(`Could not load the inbox: ${error.message}`);
		setState({ state: 'closed', transport: '' });
		return;
	}
	showPage(inbox);
	// Live notifications continue right after the page just shown: none missed, none twice.
	herald.connect({ since: inbox.lastSeq });
}

/** Appends a page (newest first) below what is shown, and updates the unread count and paging. */
function showPage(page) {
	for (const notification of page.notifications) {
		if (!shown(notification.seq)) {
			list.append(item(notification));
		}
	}
	nextBefore = page.nextBefore ?? null;
	loadOlder.hidden = nextBefore == null;
	markAllRead.disabled = list.childElementCount === 0;
	showUnread(page.unread, page.readUpTo);
}

function item(notification) {
	const li = document.createElement('li');
	li.dataset.seq = String(notification.seq);
	li.dataset.id = String(notification.id);
	li.classList.toggle('read', notification.read === true || notification.seq <= readUpTo);
	li.title = 'Mark read up to here';
	const title = document.createElement('div');
	title.className = 'title';
	title.textContent = notification.title ?? '';
	const body = document.createElement('p');
	body.className = 'body';
	body.textContent = notification.body ?? '';
	const meta = document.createElement('div');
	meta.className = 'meta';
	const created = notification.createdAt ? new Date(notification.createdAt).toLocaleString() : '';
	meta.textContent = [notification.category, notification.priority, created, `#${notification.seq}`]
		.filter(Boolean)
		.join(' \u00b7 ');
	li.append(title, body, meta);
	return li;
}

async function markRead(herald, upTo) {
	try {
		await herald.markRead(upTo);
	}
	catch (error) {
		showMessage(`Could not mark read: ${error.message}`);
	}
}

function showUnread(count, newReadUpTo) {
	unreadBadge.textContent = String(Math.max(0, count ?? 0));
	unreadBadge.classList.toggle('zero', !count);
	if (newReadUpTo != null && newReadUpTo > readUpTo) {
		readUpTo = newReadUpTo;
		for (const li of list.children) {
			li.classList.toggle('read', li.classList.contains('read') || Number(li.dataset.seq) <= readUpTo);
		}
	}
}

function setState({ state, transport }) {
	stateLabel.dataset.state = state;
	stateLabel.dataset.transport = transport ?? '';
	stateLabel.textContent = transport ? `${state} (${transport})` : state;
}

function shown(seq) {
	return list.querySelector(`li[data-seq="${Number(seq)}"]`) !== null;
}

function newestShownSeq() {
	const first = list.querySelector('li[data-seq]');
	return first ? Number(first.dataset.seq) : 0;
}

function showMessage(text) {
	message.textContent = text;
	message.hidden = false;
}
