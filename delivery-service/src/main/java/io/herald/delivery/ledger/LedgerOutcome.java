package io.herald.delivery.ledger;

import io.herald.events.JsonCodec;
import io.herald.events.SuppressionReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import java.time.Instant;

/**
 * The final outcome of a send, as the ledger keeps it so that a redelivered request can
 * report it again without calling the provider.
 *
 * @param sent whether the provider accepted it ({@code false}: rejected for good)
 * @param provider the provider that answered
 * @param providerId the provider's message id, when sent
 * @param reason why it was rejected, when not sent
 * @param suppression the suppression its rejection asked routing for, or {@code null}:
 * asked for again when the request is read again, since the first command may not have
 * been written
 * @param at when the provider answered, or {@code null} (an outcome of an earlier
 * release): the time of the evidence of the suppression
 */
public record LedgerOutcome(boolean sent, String provider, @Nullable String providerId, @Nullable String reason,
		@Nullable SuppressionReason suppression, @Nullable Instant at) {

	private static final Logger logger = LoggerFactory.getLogger(LedgerOutcome.class);

	/** An outcome that asked for no suppression. */
	public LedgerOutcome(boolean sent, String provider, @Nullable String providerId, @Nullable String reason) {
		this(sent, provider, providerId, reason, null, null);
	}

	/** The outcome as the ledger stores it: JSON, without its {@code null} fields. */
	String toJson() {
		return JsonCodec.MAPPER.writeValueAsString(this);
	}

	/**
	 * An outcome the ledger stored, by this release or an earlier one (which kept no
	 * suppression and no time).
	 * @return the outcome, or {@code null} when there is none or it cannot be read
	 * (logged)
	 */
	static @Nullable LedgerOutcome fromJson(@Nullable String json) {
		if (json == null) {
			return null;
		}
		try {
			return JsonCodec.MAPPER.readValue(json, LedgerOutcome.class);
		}
		catch (JacksonException ex) {
			logger.warn("Unreadable ledger outcome {}: {}", json, ex.getMessage());
			return null;
		}
	}

}
