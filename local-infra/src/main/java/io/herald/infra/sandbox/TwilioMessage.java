package io.herald.infra.sandbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A message {@link TwilioSandbox} accepted.
 *
 * @param sid the message SID the sandbox answered, {@code SM} and 32 hex digits
 * @param accountSid the account from the request path
 * @param to the recipient, E.164
 * @param from the sender, or {@code null} when sent through a messaging service
 * @param messagingServiceSid the messaging service, or {@code null} when sent from a
 * number
 * @param body the text
 * @param dateCreated when the sandbox accepted it
 */
public record TwilioMessage(String sid, String accountSid, String to, @Nullable String from,
		@Nullable String messagingServiceSid, String body, Instant dateCreated) {
}
