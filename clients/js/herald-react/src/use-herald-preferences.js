import { HeraldClient } from '@herald/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

/**
 * The user's own preferences (`GET` and `PUT /v1/inbox/preferences`): loaded when the component
 * mounts, changed optimistically (shown at once, put back as the gateway last confirmed them if it
 * refuses), with loading, saving and error state (docs/browser-client.md).
 *
 * @param {HeraldClient|object} clientOrOptions a `HeraldClient` the app keeps, or the options of
 *   one, which the hook creates (it never connects it) and closes when the component unmounts
 */
export function useHeraldPreferences(clientOrOptions) {
	const given = isClient(clientOrOptions);
	const client = useMemo(() => (given ? clientOrOptions : new HeraldClient(clientOrOptions)),
		given ? [clientOrOptions] : [clientOrOptions?.url, clientOrOptions?.token]);
	const [preferences, setPreferences] = useState(null);
	const [loading, setLoading] = useState(true);
	const [saving, setSaving] = useState(false);
	const [error, setError] = useState(null);
	// What the gateway last confirmed: what a refused change falls back to.
	const confirmed = useRef(null);
	// What is shown, also between renders: a change builds on the previous, unconfirmed one.
	const shown = useRef(null);
	// Only the newest change decides what is shown when its answer comes.
	const latest = useRef(0);
	const pending = useRef(0);
	const queue = useRef(Promise.resolve());
	const active = useRef(true);

	const show = useCallback((value) => {
		shown.current = value;
		setPreferences(value);
	}, []);

	const load = useCallback(async () => {
		setLoading(true);
		setError(null);
		const write = latest.current;
		try {
			const loaded = await client.getPreferences();
			if (active.current) {
				confirmed.current = loaded;
				// A change made while this read was on its way stays shown.
				if (write === latest.current) {
					show(loaded);
				}
			}
		}
		catch (failure) {
			if (active.current) {
				setError(problemOf('preferences_unavailable', failure));
			}
		}
		finally {
			if (active.current) {
				setLoading(false);
			}
		}
	}, [client, show]);

	useEffect(() => {
		active.current = true;
		confirmed.current = null;
		shown.current = null;
		setPreferences(null);
		load();
		return () => {
			active.current = false;
			if (!given) {
				client.close();
			}
		};
	}, [client, load]);

	const update = useCallback((change) => {
		const current = shown.current;
		if (current == null) {
			setError({ code: 'preferences_not_loaded', message: 'The preferences are not loaded yet', status: null,
				problem: null, errors: [] });
			return Promise.resolve(null);
		}
		const next = (typeof change === 'function') ? change(current) : { ...current, ...change };
		const write = ++latest.current;
		pending.current += 1;
		setSaving(true);
		setError(null);
		show(next);
		// One write at a time, in the order they were made: the gateway stores them in that order.
		const sent = queue.current.then(() => client.setPreferences(next)).then((stored) => {
			if (active.current) {
				confirmed.current = stored;
				if (write === latest.current) {
					show(stored);
				}
			}
			return stored;
		}, (failure) => {
			// A newer change, built on this one, is on its way: its answer decides.
			if (active.current && write === latest.current) {
				show(confirmed.current);
				setError(problemOf((failure?.status === 400) ? 'preferences_refused' : 'preferences_not_saved', failure));
			}
			return null;
		}).finally(() => {
			pending.current -= 1;
			if (active.current && pending.current === 0) {
				setSaving(false);
			}
		});
		queue.current = sent;
		return sent;
	}, [client, show]);

	return { preferences, loading, saving, error, update, reload: load, client };
}

function isClient(value) {
	return typeof value?.addEventListener === 'function' && typeof value?.getPreferences === 'function';
}

/** The error state of a failed call: the gateway's problem, and the offending fields of a 400. */
function problemOf(code, failure) {
	const problem = failure?.problem ?? null;
	return {
		code,
		message: problem?.detail ?? failure?.message ?? String(failure),
		status: failure?.status ?? null,
		problem,
		errors: Array.isArray(problem?.errors) ? problem.errors : [],
	};
}
