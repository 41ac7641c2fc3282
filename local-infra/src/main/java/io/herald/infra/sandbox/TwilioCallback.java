package io.herald.infra.sandbox;

import java.time.Instant;
import java.util.Map;

/**
 * A status callback {@link TwilioSandbox} made.
 *
 * @param sid the message
 * @param url the message's {@code StatusCallback}
 * @param status the {@code MessageStatus} sent
 * @param params every form parameter sent, in order
 * @param signature the {@code X-Twilio-Signature} sent
 * @param answer the HTTP status the callback got, or {@code -1} when it got none
 * @param sentAt when it was made
 */
public record TwilioCallback(String sid, String url, String status, Map<String, String> params, String signature,
		int answer, Instant sentAt) {
}
