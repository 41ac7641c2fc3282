// Compiled (never run) by `npm test`: the declarations describe the client as an app uses it.
import { HeraldClient, HeraldHttpError } from '@herald/client';
import type { HeraldInboxPage, HeraldNotification, HeraldPreferences, HeraldReadState } from '@herald/client';

const herald = new HeraldClient({
	url: 'https://gateway.example',
	token: 'jwt',
	getToken: async () => 'fresh',
	transport: 'auto',
	storage: { getItem: () => null, setItem: () => undefined },
});
herald.addEventListener('notification', (event) => {
	const notification: HeraldNotification = event.detail;
	const seq: number = notification.seq;
	const title: string = notification.title;
	console.log(seq, title, notification.priority === 'critical');
});
herald.addEventListener('unread', (event) => console.log(event.detail.count + 1, event.detail.readUpTo ?? 0));
herald.addEventListener('reset', (event) => console.log(event.detail.inbox.notifications.length));
herald.addEventListener('state', (event) => {
	const open: boolean = event.detail.state === 'open' && event.detail.transport === 'websocket';
	console.log(open, event.detail.session?.length);
});
herald.addEventListener('error', (event) => console.log(event.detail.code.toUpperCase()));

async function use(): Promise<void> {
	const inbox: HeraldInboxPage = await herald.fetchInbox({ limit: 50 });
	const older: HeraldInboxPage = await herald.fetchInbox({ before: inbox.nextBefore, limit: 10 });
	herald.connect({ since: inbox.lastSeq });
	const state: HeraldReadState = await herald.markRead(older.lastSeq);
	const count: number = (await herald.unreadCount()).count + state.count;
	console.log(count, herald.lastSeq, herald.unread, herald.readUpTo, herald.state, herald.transport);
	const preferences: HeraldPreferences = await herald.getPreferences();
	const stored: HeraldPreferences = await herald.setPreferences({
		...preferences,
		channels: { ...preferences.channels, sms: false },
		categories: { 'marketing.*': { enabled: false }, 'order.*': { channels: ['push', 'inapp'] } },
		quietHours: { start: '22:00', end: '07:00' },
	});
	console.log(stored.channels?.sms);
	herald.close();
	try {
		await herald.fetchInbox();
	}
	catch (error) {
		if (error instanceof HeraldHttpError) {
			const status: number = error.status;
			const fields: string[] = error.problem?.errors?.map((problem) => problem.field) ?? [];
			console.log(status, error.problem?.code, fields);
		}
	}
}
use();

// @ts-expect-error: a transport that does not exist
new HeraldClient({ token: 'jwt', transport: 'long-polling' });
// @ts-expect-error: markRead takes a seq
herald.markRead('all');
// @ts-expect-error: a channel that does not exist
herald.setPreferences({ channels: { fax: true } });
