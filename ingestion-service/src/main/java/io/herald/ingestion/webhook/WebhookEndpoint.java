package io.herald.ingestion.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.events.DeliveryState;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A tenant's webhook endpoint as stored: where calls go, for which states, and the
 * secrets that sign them.
 *
 * @param id the endpoint's id, {@code ep_...}
 * @param url where calls are POSTed
 * @param states the delivery states whose changes are called
 * @param description the tenant's note, or {@code null}
 * @param secret the signing secret, {@code whsec_<base64 key>}
 * @param previousSecret the secret before the last rotation, still signing calls until
 * {@code previousSecretUntil}; {@code null} when there is none
 * @param previousSecretUntil until when the previous secret signs too
 * @param createdAt when it was registered
 * @param disabledAt when calls to it stopped (it answered {@code 410 Gone}); {@code null}
 * while it is called
 * @param disabledReason why calls to it stopped
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WebhookEndpoint(String id, String url, Set<DeliveryState> states, @Nullable String description, String secret,
		@Nullable String previousSecret, @Nullable Instant previousSecretUntil, Instant createdAt,
		@Nullable Instant disabledAt, @Nullable String disabledReason) {

	WebhookEndpoint {
		states = Set.copyOf(states);
	}

	boolean subscribes(DeliveryState state) {
		return this.disabledAt == null && this.states.contains(state);
	}

	/**
	 * The secrets that sign a call made at {@code now}: the current one, and the previous
	 * one while it is valid.
	 */
	List<String> signingSecrets(Instant now) {
		List<String> secrets = new ArrayList<>(2);
		secrets.add(this.secret);
		if (this.previousSecret != null && this.previousSecretUntil != null && now.isBefore(this.previousSecretUntil)) {
			secrets.add(this.previousSecret);
		}
		return secrets;
	}

	WebhookEndpoint withSecret(String newSecret, Instant previousUntil) {
		return new WebhookEndpoint(this.id, this.url, this.states, this.description, newSecret, this.secret,
				previousUntil, this.createdAt, this.disabledAt, this.disabledReason);
	}

	WebhookEndpoint disabled(Instant at, String reason) {
		return new WebhookEndpoint(this.id, this.url, this.states, this.description, this.secret, this.previousSecret,
				this.previousSecretUntil, this.createdAt, at, reason);
	}

}
