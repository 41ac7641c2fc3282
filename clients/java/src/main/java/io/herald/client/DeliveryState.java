package io.herald.client;

import java.util.Locale;

/**
 * A delivery's latest state (API.md, {@code GET /v1/events/{eventId}}). Herald may add
 * states within v1; one this client does not know yet reads as {@link #OTHER}, its name
 * kept in {@link Delivery#stateName()}.
 */
public enum DeliveryState {

	QUEUED, DEFERRED, SUPPRESSED, EXPIRED, SENT, DELIVERED, ACKNOWLEDGED, FAILED, DEAD_LETTERED, CANCELLED, OTHER;

	static DeliveryState fromWire(String name) {
		for (DeliveryState state : values()) {
			if (state != OTHER && state.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(name)) {
				return state;
			}
		}
		return OTHER;
	}

}
