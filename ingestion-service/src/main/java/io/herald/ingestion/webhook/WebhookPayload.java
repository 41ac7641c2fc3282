package io.herald.ingestion.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.events.CallWebhook;
import io.herald.events.JsonCodec;
import io.herald.events.StatusReported;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The body of a webhook call for one delivery state change, and the call itself.
 *
 * <p>
 * The webhook id is derived from the endpoint and the state change (event, user, channel,
 * device, state, time), not drawn at random: a status record read again after a crash
 * makes the same call with the same id, which the receiver recognises as a repeat.
 *
 * @param id the webhook id, also sent as {@code webhook-id}
 * @param type {@code delivery.<state>}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WebhookPayload(String id, String type, String eventId, String userId, String channel, @Nullable String device,
		String state, @Nullable String reason, @Nullable Instant until, @Nullable Long seq, @Nullable String providerId,
		Instant at) {

	/** The call of an endpoint for a state change of one user. */
	static CallWebhook call(String endpointId, StatusReported status, Instant now) {
		String id = webhookId(endpointId, status);
		WebhookPayload payload = new WebhookPayload(id, "delivery." + status.state().wireName(), status.eventId(),
				status.userId(), status.channel().wireName(), status.device(), status.state().wireName(),
				status.reason(), status.until(), status.seq(), status.providerId(), status.at());
		return new CallWebhook(CallWebhook.SCHEMA_VERSION, status.tenant(), endpointId, id, payload.type(),
				JsonCodec.MAPPER.writeValueAsString(payload), now, 1);
	}

	static String webhookId(String endpointId, StatusReported status) {
		String identity = String.join("|", endpointId, status.eventId(), status.deliveryKey(),
				status.state().wireName(), status.at().toString());
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
			return "msg_" + HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}
