package io.herald.gateway.preferences;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code herald.gateway.preferences.requests{operation, outcome}}: the users' preference
 * reads and writes, by what routing made of them ({@code ok}, {@code accepted},
 * {@code invalid}, {@code unavailable}).
 */
final class PreferencesMetrics {

	private static final List<String> OUTCOMES = List.of("ok", "accepted", "invalid", "unavailable");

	private final Map<String, Counter> counters = new HashMap<>();

	PreferencesMetrics(MeterRegistry meters) {
		for (String operation : List.of("read", "replace")) {
			for (String outcome : OUTCOMES) {
				this.counters.put(operation + "/" + outcome,
						Counter.builder("herald.gateway.preferences.requests")
							.description("Users' preference reads and writes, by outcome")
							.tag("operation", operation)
							.tag("outcome", outcome)
							.register(meters));
			}
		}
	}

	void count(String operation, String outcome) {
		this.counters.get(operation + "/" + outcome).increment();
	}

}
