// Compiled (never run) by `npm test`: the declarations describe the hook and the component as an app uses them.
import { HeraldClient } from '@herald/client';
import { HeraldInbox, useHeraldInbox } from '@herald/react';
import type { HeraldInboxItem } from '@herald/react';

function Badge({ client }: { client: HeraldClient }) {
	const { items, unread, markRead, markAllRead, state, transport, error, hasOlder, loadOlder } = useHeraldInbox(client);
	const newest: HeraldInboxItem | undefined = items[0];
	return (
		<div data-state={state} data-transport={transport ?? ''}>
			{unread > 0 && <button onClick={() => markAllRead()}>{unread}</button>}
			{newest && !newest.read && <button onClick={() => markRead(newest.seq)}>{newest.title}</button>}
			{hasOlder && <button onClick={() => loadOlder()}>Older</button>}
			{error?.code}
		</div>
	);
}

function Page({ token }: { token: string }) {
	const inbox = useHeraldInbox({ url: 'https://gateway.example', token }, { pageSize: 20 });
	return (
		<>
			<Badge client={inbox.client} />
			<HeraldInbox client={{ token, transport: 'sse' }} title="Inbox" className="mine" pageSize={10} />
			<HeraldInbox client={new HeraldClient({ token })} />
			{/* @ts-expect-error: the component needs a client or its options */}
			<HeraldInbox />
		</>
	);
}

export { Page };
