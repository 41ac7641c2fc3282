package io.herald.loaddriver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mints the user tokens the gateway takes (API.md section 3): compact JWS, HS256 with the
 * tenant's secret, {@code sub} = the user, {@code tid} = the tenant, {@code iat} and an
 * {@code exp} {@link #LIFETIME} later. One signer serves every token of a run.
 */
final class UserTokens {

	/** Longer than any run, shorter than a leaked benchmark token should live. */
	static final Duration LIFETIME = Duration.ofHours(1);

	private final String tenant;

	private final JWSSigner signer;

	/**
	 * @throws IllegalArgumentException if the secret is shorter than the 32 bytes HS256 needs
	 */
	UserTokens(String tenant, String secret) {
		this.tenant = tenant;
		try {
			this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("--jwt-secret must be at least 32 bytes for HS256", ex);
		}
	}

	/** A token for the user, issued at {@code issuedAt} (JWT dates keep whole seconds). */
	String mint(String userId, Instant issuedAt) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId)
			.claim("tid", this.tenant)
			.issueTime(Date.from(issuedAt))
			.expirationTime(Date.from(issuedAt.plus(LIFETIME)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			// The constructor checked the key; HS256 with a valid key does not fail.
			throw new IllegalStateException("Could not sign a user token", ex);
		}
		return jwt.serialize();
	}

}
