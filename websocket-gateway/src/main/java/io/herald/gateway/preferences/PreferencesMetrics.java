package io.herald.gateway.preferences;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code herald.gateway.preferences.requests{operation, outcome}}: the users' preference
 * reads and writes, by what routing made of them ({@code ok}, {@code accepted},
 * {@code invalid}, {@code unavailable}); {@code herald.gateway.preferences.routing}
 * {@code {operation}}: how long each call to routing took (a histogram), and
 * {@code herald.gateway.preferences.in.flight}: the calls under way.
 */
final class PreferencesMetrics {

	private static final List<String> OUTCOMES = List.of("ok", "accepted", "invalid", "unavailable");

	private final Map<String, Counter> counters = new HashMap<>();

	private final Map<String, Timer> timers = new HashMap<>();

	PreferencesMetrics(MeterRegistry meters, RoutingPreferences routing) {
		Gauge.builder("herald.gateway.preferences.in.flight", routing, RoutingPreferences::callsInFlight)
			.description("Calls to routing's preferences under way")
			.register(meters);
		for (String operation : List.of("read", "replace")) {
			this.timers.put(operation,
					Timer.builder("herald.gateway.preferences.routing")
						.description("Calls to routing's preferences, until its answer or the gateway's giving up")
						.tag("operation", operation)
						.publishPercentileHistogram()
						.register(meters));
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

	Timer routing(String operation) {
		return this.timers.get(operation);
	}

	void count(String operation, String outcome) {
		this.counters.get(operation + "/" + outcome).increment();
	}

}
