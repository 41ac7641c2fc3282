package io.herald.routing.unsubscribe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code herald.routing.unsubscribes{outcome}}: one-click unsubscriptions ({@code POST}
 * of a link) by outcome, and {@code herald.routing.unsubscribe.pages{outcome}}: the
 * confirmation pages asked for ({@code GET}), by the outcome of checking their link.
 */
final class UnsubscribeMetrics {

	private final Map<Outcome, Counter> unsubscribes = new EnumMap<>(Outcome.class);

	private final Map<Outcome, Counter> pages = new EnumMap<>(Outcome.class);

	UnsubscribeMetrics(MeterRegistry meters) {
		for (Outcome outcome : Outcome.values()) {
			if (outcome != Outcome.SHOWN) {
				this.unsubscribes.put(outcome,
						Counter.builder("herald.routing.unsubscribes")
							.description("One-click unsubscriptions by outcome")
							.tag("outcome", outcome.tag())
							.register(meters));
			}
			if (outcome.isLinkCheck() || outcome == Outcome.SHOWN) {
				this.pages.put(outcome, Counter.builder("herald.routing.unsubscribe.pages")
					.description("Unsubscribe confirmation pages asked for, by the outcome of checking the link")
					.tag("outcome", outcome.tag())
					.register(meters));
			}
		}
	}

	void unsubscribe(Outcome outcome) {
		this.unsubscribes.get(outcome).increment();
	}

	void page(Outcome outcome) {
		this.pages.get(outcome).increment();
	}

	/** What became of a request for an unsubscribe link. */
	enum Outcome {

		/** The email is off now. */
		UNSUBSCRIBED,

		/** The preferences already sent no such email: nothing was written. */
		ALREADY,

		/**
		 * Routing does not know the user (erased since): nothing was written, the answer
		 * is the same as for a user it knows.
		 */
		UNKNOWN_USER,

		/** The user state or the command log did not answer in time ({@code 503}). */
		UNAVAILABLE,

		/** The page was shown. */
		SHOWN,

		/** A link not signed by this service's keys ({@code 403}). */
		INVALID_LINK,

		/** A link older than {@code herald.unsubscribe.max-age} ({@code 403}). */
		EXPIRED,

		/** Not a link at all, or a body that asks for no unsubscription ({@code 400}). */
		MALFORMED,

		/** A body over the limit ({@code 413}). */
		TOO_LARGE;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

		boolean isLinkCheck() {
			return this == INVALID_LINK || this == EXPIRED || this == MALFORMED;
		}

	}

}
