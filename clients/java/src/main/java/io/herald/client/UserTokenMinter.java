package io.herald.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

/**
 * Signs the user tokens the gateway takes (API.md section 3): a compact JWS with
 * {@code sub} = the user, {@code tid} = the tenant, {@code iat} and {@code exp}. A
 * product's backend mints one for a signed-in user and hands it to the browser or app,
 * which connects to the gateway with it.
 * <ul>
 * <li>{@link #hs256}: the tenant's shared secret, which the gateway holds too;</li>
 * <li>{@link #rs256} and {@link #es256}: a private key Herald never sees; the gateway
 * verifies with the public key the tenant publishes as a JWK set, picked by the token's
 * {@code kid}.</li>
 * </ul>
 * Thread-safe. Issue short-lived tokens: the gateway honours {@code exp} and closes a
 * session whose token expires ({@code 4401}); browsers get a fresh one through the
 * client's {@code getToken}.
 */
public final class UserTokenMinter {

	/** HS256 needs a key of at least 256 bits (RFC 7518, section 3.2). */
	public static final int MIN_SECRET_BYTES = 32;

	private final String tenant;

	private final JWSAlgorithm algorithm;

	private final @Nullable String keyId;

	private final JWSSigner signer;

	private UserTokenMinter(String tenant, JWSAlgorithm algorithm, @Nullable String keyId, JWSSigner signer) {
		this.tenant = Objects.requireNonNull(tenant, "tenant");
		this.algorithm = algorithm;
		this.keyId = keyId;
		this.signer = signer;
	}

	/**
	 * Tokens signed with the tenant's shared secret.
	 * @throws IllegalArgumentException if the secret is shorter than
	 * {@value #MIN_SECRET_BYTES} bytes
	 */
	public static UserTokenMinter hs256(String tenant, String secret) {
		byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
		if (bytes.length < MIN_SECRET_BYTES) {
			throw new IllegalArgumentException(
					"An HS256 secret must be at least " + MIN_SECRET_BYTES + " bytes, not " + bytes.length);
		}
		try {
			return new UserTokenMinter(tenant, JWSAlgorithm.HS256, null, new MACSigner(bytes));
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("The secret cannot sign HS256 tokens", ex);
		}
	}

	/**
	 * Tokens signed with an RSA private key (at least 2048 bits) whose public key the
	 * tenant's JWK set publishes under {@code keyId}.
	 */
	public static UserTokenMinter rs256(String tenant, String keyId, RSAPrivateKey key) {
		return new UserTokenMinter(tenant, JWSAlgorithm.RS256, Objects.requireNonNull(keyId, "keyId"),
				new RSASSASigner(key));
	}

	/**
	 * Tokens signed with a P-256 private key whose public key the tenant's JWK set
	 * publishes under {@code keyId}.
	 * @throws IllegalArgumentException if the key is not on the P-256 curve
	 */
	public static UserTokenMinter es256(String tenant, String keyId, ECPrivateKey key) {
		try {
			return new UserTokenMinter(tenant, JWSAlgorithm.ES256, Objects.requireNonNull(keyId, "keyId"),
					new ECDSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("The key cannot sign ES256 tokens: it must be a P-256 key", ex);
		}
	}

	/** A token for the user, valid from now for {@code lifetime}. */
	public String mint(String userId, Duration lifetime) {
		return mint(userId, Instant.now(), lifetime);
	}

	/**
	 * A token for the user.
	 * @param issuedAt its {@code iat} (JWT times keep whole seconds)
	 * @param lifetime how long after {@code issuedAt} it expires
	 */
	public String mint(String userId, Instant issuedAt, Duration lifetime) {
		if (userId.isEmpty()) {
			throw new IllegalArgumentException("A token needs a user id");
		}
		if (lifetime.isNegative() || lifetime.isZero()) {
			throw new IllegalArgumentException("A token's lifetime must be positive, not " + lifetime);
		}
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId)
			.claim("tid", this.tenant)
			.issueTime(Date.from(issuedAt))
			.expirationTime(Date.from(issuedAt.plus(lifetime)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(this.algorithm).keyID(this.keyId).build(), claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			// The factories checked the key; signing with a valid key does not fail.
			throw new IllegalStateException("Could not sign a user token", ex);
		}
		return jwt.serialize();
	}

}
