// The page of preferences.test.mjs, run by headless Chromium: a component using
// useHeraldPreferences against the test's server, driven through load, a kept change, a refused
// one, a failed one and two quick ones, with every state it rendered reported back to the test.
import { useHeraldPreferences } from '@herald/react';
import { createRoot } from 'react-dom/client';

const snapshots = [];
let current = null;

function Preferences() {
	const state = useHeraldPreferences({ url: location.origin, token: 'user-jwt' });
	current = state;
	snapshots.push(snapshot('render', state));
	return <pre id="preferences">{JSON.stringify(state.preferences)}</pre>;
}

function snapshot(step, state) {
	const { preferences, loading, saving, error } = state;
	return JSON.parse(JSON.stringify({ step, preferences, loading, saving, error }));
}

async function until(condition, what) {
	const started = performance.now();
	while (!(current && condition(current))) {
		if (performance.now() - started > 10_000) {
			throw new Error(`Timed out waiting for ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	return current;
}

async function scenario() {
	const steps = {};
	const mark = (step, state) => {
		steps[step] = snapshot(step, state);
	};
	mark('loaded', await until((state) => !state.loading, 'the first load'));

	const kept = current.update({ channels: { sms: false } });
	mark('kept-pending', await until((state) => state.saving, 'the change on its way'));
	steps.keptResult = await kept;
	mark('kept', await until((state) => !state.saving, 'the change stored'));

	const refused = current.update((shown) => ({ ...shown, channels: { ...shown.channels, fax: true } }));
	mark('refused-pending', await until((state) => state.saving, 'the refused change on its way'));
	steps.refusedResult = await refused;
	mark('refused', await until((state) => !state.saving, 'the refusal'));

	const failed = current.update({ categories: { 'fail.*': { enabled: false } } });
	mark('failed-pending', await until((state) => state.saving, 'the failing change on its way'));
	steps.failedResult = await failed;
	mark('failed', await until((state) => !state.saving, 'the failure'));

	const first = current.update({ quietHours: { start: '22:00', end: '07:00' } });
	const second = current.update((shown) => ({ ...shown, categories: { 'marketing.*': { enabled: false } } }));
	mark('both-pending', await until((state) => state.saving && state.preferences.quietHours != null
		&& state.preferences.categories['marketing.*'] != null, 'both changes shown'));
	steps.bothResults = [await first, await second];
	mark('both', await until((state) => !state.saving, 'both changes stored'));

	await current.reload();
	mark('reloaded', await until((state) => !state.loading, 'the reload'));
	return steps;
}

function report(body) {
	return fetch('/result', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

window.addEventListener('error', (event) => report({ failure: String(event.error?.stack ?? event.message) }));
createRoot(document.getElementById('root')).render(<Preferences />);
scenario().then((steps) => report({ steps, snapshots }), (failure) => report({ failure: String(failure?.stack ?? failure), snapshots }));
