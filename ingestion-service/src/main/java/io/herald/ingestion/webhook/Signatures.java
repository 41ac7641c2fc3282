package io.herald.ingestion.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Secrets and signatures in the style of the Standard Webhooks specification: a secret is
 * {@code whsec_} and the base64 of a random key; a call's {@code webhook-signature} is
 * {@code v1,<base64 HMAC-SHA256 of "webhookId.timestamp.body">} for each secret in force,
 * separated by spaces.
 */
final class Signatures {

	static final String SECRET_PREFIX = "whsec_";

	/** Bytes of a secret's key: 256 bits, as long as the HMAC-SHA256 output. */
	private static final int KEY_BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private Signatures() {
	}

	static String newSecret() {
		byte[] key = new byte[KEY_BYTES];
		RANDOM.nextBytes(key);
		return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
	}

	/** A new endpoint id, {@code ep_} and 16 random hex digits. */
	static String newEndpointId() {
		byte[] id = new byte[8];
		RANDOM.nextBytes(id);
		return "ep_" + HexFormat.of().formatHex(id);
	}

	/**
	 * The value of {@code webhook-signature} for a call signed with each of the secrets.
	 */
	static String header(List<String> secrets, String webhookId, long timestampSeconds, String body) {
		StringBuilder header = new StringBuilder();
		for (String secret : secrets) {
			if (!header.isEmpty()) {
				header.append(' ');
			}
			header.append("v1,").append(sign(secret, webhookId, timestampSeconds, body));
		}
		return header.toString();
	}

	/**
	 * The base64 HMAC-SHA256 of {@code webhookId.timestamp.body} under the secret's key.
	 */
	static String sign(String secret, String webhookId, long timestampSeconds, String body) {
		byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			byte[] signature = mac
				.doFinal((webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(signature);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

}
