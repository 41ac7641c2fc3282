// Compiled (never run) by `npm test`: the declarations describe the hook and the component as an app uses them.
import { HeraldClient } from '@herald/client';
import type { HeraldPreferences } from '@herald/client';
import { HeraldInbox, useHeraldInbox, useHeraldPreferences } from '@herald/react';
import type { HeraldInboxItem, HeraldPreferencesError } from '@herald/react';

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

function SmsSwitch({ client }: { client: HeraldClient }) {
	const { preferences, loading, saving, error, update, reload } = useHeraldPreferences(client);
	const failure: HeraldPreferencesError | null = error;
	if (loading || preferences == null) {
		return <p>Loading</p>;
	}
	const sms: boolean = preferences.channels?.sms !== false;
	const turnOff = async () => {
		const stored: HeraldPreferences | null = await update({ channels: { ...preferences.channels, sms: false } });
		return stored != null;
	};
	return (
		<>
			<input type="checkbox" checked={sms} disabled={saving}
				onChange={() => update((current) => ({ ...current, channels: { ...current.channels, sms: !sms } }))} />
			{failure?.code === 'preferences_refused' && failure.errors.map(({ field, message }) => <p key={field}>{message}</p>)}
			<button onClick={() => turnOff()}>No SMS</button>
			<button onClick={() => reload()}>Reload</button>
		</>
	);
}

function OwnClient({ token }: { token: string }) {
	const { preferences, client } = useHeraldPreferences({ url: 'https://gateway.example', token });
	const own: HeraldClient = client;
	void own;
	// @ts-expect-error: a change names preferences' members only
	update({ colour: 'blue' });
	return <p>{preferences?.quietHours?.start}</p>;
}

declare const update: ReturnType<typeof useHeraldPreferences>['update'];

export { OwnClient, Page, SmsSwitch };
