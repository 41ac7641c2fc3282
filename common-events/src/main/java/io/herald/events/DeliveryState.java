package io.herald.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Where one delivery (a user, a channel and, for push, a device) stands. The states are
 * ordered by {@link #stage()}: a status view keeps the state of the latest stage, so a
 * late record of an earlier stage never overwrites a later one. {@link #CANCELLED} is the
 * last stage: once a delivery is cancelled, no late record of any other stage brings it
 * back.
 *
 * <p>
 * {@link #DELIVERED} and {@link #FAILED} rank above {@link #SENT}: a provider's receipt
 * ({@code delivered}, or {@code failed} for a bounce or an undelivered text) follows the
 * {@code sent} of the same delivery, and wins over it whatever the clocks of the
 * instances that reported them, while a {@code sent} reported again later (a redelivered
 * request the send ledger knew as done) never overwrites a receipt.
 *
 * <p>
 * Within a stage, the state of more {@linkplain #evidence() evidence} wins, then the
 * later time ({@link #replaces}): of the final states, {@link #DELIVERED} (the message
 * arrived) outranks {@link #FAILED} (a provider refused it or reported it undelivered),
 * which outranks {@link #DEAD_LETTERED} (Herald gave up without a provider's verdict),
 * whatever order and clocks they arrive with. A {@code failed} receipt after a
 * {@code delivered} one (a bounce after a complaint), or a dead letter after either,
 * changes nothing; a {@code failed} of a replayed dead letter replaces it.
 */
public enum DeliveryState implements WireNamed {

	/** Held until a time ({@code until}): quiet hours or {@code sendAt}. */
	DEFERRED(1),

	/** Routed and waiting in a delivery lane. */
	QUEUED(2),

	/**
	 * Not delivered on purpose ({@code reason}: preference, rate limit, no contact
	 * point...).
	 */
	SUPPRESSED(3),

	/** Not delivered before the event's {@code expiresAt}. */
	EXPIRED(3),

	/** Accepted by the provider ({@code providerId}). */
	SENT(4),

	/**
	 * Appended to the user's in-app inbox ({@code seq}), or, for SMS and email, reported
	 * delivered by the provider's receipt ({@code reason} {@code complained} when the
	 * recipient marked it as spam).
	 */
	DELIVERED(5),

	/**
	 * Failed permanently ({@code reason}): refused by the provider, or reported
	 * undelivered by its receipt after it was {@link #SENT} (a bounce, an undelivered
	 * text).
	 */
	FAILED(5),

	/** Given up after retries and parked in a dead-letter topic ({@code reason}). */
	DEAD_LETTERED(5),

	/** A client confirmed receipt. */
	ACKNOWLEDGED(6),

	/**
	 * The user read it (in-app: the read cursor passed its {@code seq}, on any device).
	 * Reported on the status topic for webhooks; the status view does not record it, so
	 * the status API's states stop at {@link #ACKNOWLEDGED} as API.md lists them.
	 */
	READ(7),

	/**
	 * Stopped by a cancellation of its event ({@code reason}, for example
	 * {@code cancelled_by_api}) before it went out: held, not yet routed, or waiting for
	 * delivery. Added in v1 as API.md allows; what a provider already took stays
	 * {@code sent}.
	 */
	CANCELLED(8);

	private final int stage;

	private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

	DeliveryState(int stage) {
		this.stage = stage;
	}

	/**
	 * The stage of the pipeline this state belongs to; a higher stage wins over a lower
	 * one.
	 */
	public int stage() {
		return this.stage;
	}

	/**
	 * How much the state proves about the delivery, to order the states of one stage:
	 * {@link #DELIVERED} 3, {@link #FAILED} 2, {@link #DEAD_LETTERED} 1, every other
	 * state 0 (the only one of its stage, or equal to the other: {@link #SUPPRESSED} and
	 * {@link #EXPIRED} are ordered by time alone).
	 */
	public int evidence() {
		return switch (this) {
			case DELIVERED -> 3;
			case FAILED -> 2;
			case DEAD_LETTERED -> 1;
			case DEFERRED, QUEUED, SUPPRESSED, EXPIRED, SENT, ACKNOWLEDGED, READ, CANCELLED -> 0;
		};
	}

	/**
	 * Whether a state recorded at {@code at} replaces {@code earlier}, recorded at
	 * {@code earlierAt}, in a status view: a later stage does; within a stage, more
	 * {@link #evidence()} does; with as much, the later time does (a tie keeps
	 * {@code earlier}). Times are compared to the millisecond, the precision the status
	 * view stores and compares them at (its script), so that two records within one
	 * millisecond are a tie here as there.
	 */
	public boolean replaces(Instant at, DeliveryState earlier, Instant earlierAt) {
		if (this.stage != earlier.stage) {
			return this.stage > earlier.stage;
		}
		int evidence = Integer.compare(evidence(), earlier.evidence());
		return evidence > 0 || (evidence == 0
				&& at.truncatedTo(ChronoUnit.MILLIS).isAfter(earlierAt.truncatedTo(ChronoUnit.MILLIS)));
	}

	@Override
	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Parses a wire name such as {@code dead-lettered}.
	 * @throws IllegalArgumentException for a name that is not a state
	 */
	@JsonCreator
	public static DeliveryState fromWireName(String name) {
		return WireNamed.parse(values(), name, "delivery state");
	}

}
