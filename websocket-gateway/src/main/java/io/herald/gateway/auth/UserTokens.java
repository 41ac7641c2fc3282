package io.herald.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.herald.events.Identifiers;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/**
 * Verifies user tokens: compact JWS, HS256 only, signed with the key of the tenant its {@code tid}
 * claim names, with a {@code sub} that is a valid user id. {@code exp} and {@code nbf} are
 * honoured within {@link JwtProperties#clockSkew()}; a token without {@code exp} does not expire
 * (issue short-lived tokens). One rule holds everywhere: a token is valid until {@code exp} plus
 * the skew ({@link UserPrincipal#validUntil()}); from that instant an upgrade or request with it is
 * refused and a session opened with it is closed with {@code 4401}, never earlier. A token of one tenant can never pass as another's: the key is chosen by {@code tid}
 * and the signature covers it.
 */
@Component
public class UserTokens {

	/** Tokens are small; a longer one is refused before it is parsed. */
	static final int MAX_TOKEN_LENGTH = 8 * 1024;

	/** HS256 needs a key of at least 256 bits (RFC 7518, section 3.2). */
	static final int MIN_SECRET_BYTES = 32;

	private final Map<String, MACVerifier> verifiers = new HashMap<>();

	private final Duration clockSkew;

	private final Clock clock;

	UserTokens(JwtProperties properties, Clock clock) {
		for (JwtProperties.TenantKey key : properties.tenants()) {
			byte[] secret = key.secret().getBytes(StandardCharsets.UTF_8);
			if (secret.length < MIN_SECRET_BYTES) {
				throw new IllegalArgumentException("The JWT secret of tenant '" + key.tenant() + "' must be at least "
						+ MIN_SECRET_BYTES + " bytes long for HS256");
			}
			try {
				this.verifiers.put(key.tenant(), new MACVerifier(secret));
			}
			catch (JOSEException ex) {
				throw new IllegalArgumentException("The JWT secret of tenant '" + key.tenant() + "' is unusable", ex);
			}
		}
		this.clockSkew = properties.clockSkew();
		this.clock = clock;
	}

	/**
	 * The user a token speaks for.
	 * @throws InvalidTokenException with a reason fit for the caller when it proves nothing
	 */
	public UserPrincipal verify(String token) throws InvalidTokenException {
		if (token.length() > MAX_TOKEN_LENGTH) {
			throw new InvalidTokenException("The token is too long.");
		}
		SignedJWT jwt;
		JWTClaimsSet claims;
		try {
			jwt = SignedJWT.parse(token);
			claims = jwt.getJWTClaimsSet();
		}
		catch (ParseException ex) {
			throw new InvalidTokenException("The token is not a signed JWT.");
		}
		if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
			throw new InvalidTokenException("The token must be signed with HS256.");
		}
		String tenant = stringClaim(claims, "tid");
		MACVerifier verifier = (tenant != null) ? this.verifiers.get(tenant) : null;
		if (verifier == null) {
			throw new InvalidTokenException("The token's tenant (tid) is not known.");
		}
		try {
			if (!jwt.verify(verifier)) {
				throw new InvalidTokenException("The token's signature is not valid.");
			}
		}
		catch (JOSEException ex) {
			throw new InvalidTokenException("The token's signature cannot be verified.");
		}
		String userId = claims.getSubject();
		if (userId == null || !Identifiers.matches(Identifiers.USER_ID, userId)) {
			throw new InvalidTokenException("The token's subject (sub) must be a user id.");
		}
		Instant now = this.clock.instant();
		Instant expiresAt = instant(claims.getExpirationTime());
		Instant validUntil = (expiresAt != null) ? expiresAt.plus(this.clockSkew) : null;
		if (validUntil != null && !now.isBefore(validUntil)) {
			throw new InvalidTokenException("The token has expired.");
		}
		Instant notBefore = instant(claims.getNotBeforeTime());
		if (notBefore != null && now.plus(this.clockSkew).isBefore(notBefore)) {
			throw new InvalidTokenException("The token is not valid yet.");
		}
		return new UserPrincipal(tenant, userId, validUntil);
	}

	private static @Nullable String stringClaim(JWTClaimsSet claims, String name) {
		try {
			return claims.getStringClaim(name);
		}
		catch (ParseException ex) {
			return null;
		}
	}

	private static @Nullable Instant instant(@Nullable Date date) {
		return (date != null) ? date.toInstant() : null;
	}

}
