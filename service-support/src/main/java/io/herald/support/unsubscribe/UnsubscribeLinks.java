package io.herald.support.unsubscribe;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Makes and checks signed unsubscribe links: {@code <base-url>/v1/unsubscribe/<token>}.
 * The token is {@code base64url(payload) "." base64url(HMAC-SHA256(key, payload))}, where
 * the payload is {@code u1|tenant|userId|scope|category|issuedAtSeconds} ({@code |} is in
 * no id, {@link io.herald.events.Identifiers}). Nothing is stored: the signature alone
 * proves Herald made the link. Signatures are compared in constant time, with the current
 * key and then each previous one, so a key can be rotated without breaking the links in
 * mail already sent.
 *
 * <p>
 * Without a signing key it makes no links, and refuses every token as
 * {@link Verification.Invalid} unless it has previous keys, which only check links.
 */
public final class UnsubscribeLinks {

	/** The path of the links, the token follows. */
	public static final String PATH = "/v1/unsubscribe/";

	/**
	 * Longest token checked at all: the longest ids make about 480 characters; anything
	 * far longer was not made here.
	 */
	public static final int MAX_TOKEN_LENGTH = 1024;

	private static final String VERSION = "u1";

	private static final String ALGORITHM = "HmacSHA256";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final @Nullable SecretKeySpec signingKey;

	private final List<SecretKeySpec> keys;

	private final @Nullable URI baseUrl;

	private final @Nullable Duration maxAge;

	private final Clock clock;

	/**
	 * @param properties the keys, the base URL and the links' lifetime
	 * @param clock the clock expiry is measured by
	 */
	public UnsubscribeLinks(UnsubscribeProperties properties, Clock clock) {
		this.signingKey = (properties.signingKey() != null) ? key(properties.signingKey()) : null;
		this.keys = properties.verificationKeys().stream().map(UnsubscribeLinks::key).toList();
		this.baseUrl = properties.baseUrl();
		this.maxAge = properties.maxAge();
		this.clock = clock;
	}

	/** Whether this service can sign links and has a base URL to put them under. */
	public boolean makesLinks() {
		return this.signingKey != null && this.baseUrl != null;
	}

	/**
	 * The link's URL, {@code <base-url>/v1/unsubscribe/<token>}; empty without a signing
	 * key or base URL.
	 */
	public Optional<URI> url(UnsubscribeLink link) {
		if (!makesLinks()) {
			return Optional.empty();
		}
		String base = this.baseUrl.toString();
		base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		return Optional.of(URI.create(base + PATH + token(link)));
	}

	/**
	 * The signed token of a link, signed with the current key (never with a previous
	 * one).
	 * @throws IllegalStateException without a signing key
	 */
	public String token(UnsubscribeLink link) {
		SecretKeySpec key = this.signingKey;
		if (key == null) {
			throw new IllegalStateException("no signing key (herald.unsubscribe.signing-key)");
		}
		byte[] payload = payload(link);
		return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(key, payload));
	}

	/** What a token proves. Never throws, whatever the token holds. */
	public Verification verify(String token) {
		int dot = token.indexOf('.');
		if (token.length() > MAX_TOKEN_LENGTH || dot <= 0 || dot != token.lastIndexOf('.')) {
			return new Verification.Malformed("not a token of an unsubscribe link");
		}
		byte[] payload;
		byte[] signature;
		try {
			payload = DECODER.decode(token.substring(0, dot));
			signature = DECODER.decode(token.substring(dot + 1));
		}
		catch (IllegalArgumentException ex) {
			return new Verification.Malformed("not a token of an unsubscribe link");
		}
		if (!signedHere(payload, signature)) {
			return new Verification.Invalid();
		}
		UnsubscribeLink link = parse(new String(payload, StandardCharsets.UTF_8));
		if (link == null) {
			return new Verification.Malformed("a token of a version this service does not read");
		}
		if (this.maxAge != null && link.issuedAt().plus(this.maxAge).isBefore(this.clock.instant())) {
			return new Verification.Expired(link);
		}
		return new Verification.Verified(link);
	}

	/**
	 * Whether one of the keys made the signature; every key is tried, in constant time.
	 */
	private boolean signedHere(byte[] payload, byte[] signature) {
		boolean valid = false;
		for (SecretKeySpec key : this.keys) {
			valid |= MessageDigest.isEqual(mac(key, payload), signature);
		}
		return valid;
	}

	private static byte[] payload(UnsubscribeLink link) {
		String category = (link.category() != null) ? link.category() : "";
		return String
			.join("|", VERSION, link.tenant(), link.userId(), link.scope().code(), category,
					Long.toString(link.issuedAt().getEpochSecond()))
			.getBytes(StandardCharsets.UTF_8);
	}

	private static @Nullable UnsubscribeLink parse(String payload) {
		String[] parts = payload.split("\\|", -1);
		if (parts.length != 6 || !parts[0].equals(VERSION)) {
			return null;
		}
		UnsubscribeLink.Scope scope = UnsubscribeLink.Scope.ofCode(parts[3]);
		try {
			Instant issuedAt = Instant.ofEpochSecond(Long.parseLong(parts[5]));
			return (scope != null)
					? new UnsubscribeLink(parts[1], parts[2], scope, parts[4].isEmpty() ? null : parts[4], issuedAt)
					: null;
		}
		catch (RuntimeException ex) {
			// A number out of range or an id of another shape: only an older or newer
			// format, since the signature holds.
			return null;
		}
	}

	private static SecretKeySpec key(String secret) {
		return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
	}

	private static byte[] mac(SecretKeySpec key, byte[] payload) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(key);
			return mac.doFinal(payload);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("Every JVM supports HmacSHA256 with any key", ex);
		}
	}

	/** What a token proves. */
	public sealed interface Verification {

		/** Made here, and not too old: the link may be acted on. */
		record Verified(UnsubscribeLink link) implements Verification {
		}

		/** Made here, but older than the links' lifetime. */
		record Expired(UnsubscribeLink link) implements Verification {
		}

		/**
		 * Well formed, but signed with no key of this service (forged, altered, or signed
		 * with a key no longer kept), or this service has no key at all.
		 */
		record Invalid() implements Verification {
		}

		/**
		 * Not a token at all.
		 *
		 * @param reason why, for the answer
		 */
		record Malformed(String reason) implements Verification {
		}

	}

}
