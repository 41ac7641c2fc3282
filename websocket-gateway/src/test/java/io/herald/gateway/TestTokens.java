package io.herald.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** User tokens as a tenant's backend would mint them. */
public final class TestTokens {

	/** The key of every test tenant whose name starts with {@code t-}. */
	public static final String SECRET = "test-secret-0123456789abcdef0123456789abcdef";

	private TestTokens() {
	}

	/** A token for a user, valid for an hour. */
	public static String token(String tenant, String userId) {
		return token(tenant, userId, Instant.now().plus(Duration.ofHours(1)), SECRET);
	}

	/** A token with the given expiry, signed with the given secret. */
	public static String token(String tenant, String userId, @Nullable Instant expiresAt, String secret) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(userId)
			.claim("tid", tenant)
			.issueTime(new Date());
		if (expiresAt != null) {
			claims.expirationTime(Date.from(expiresAt));
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
		try {
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

}
