package io.herald.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.herald.events.Identifiers;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies user tokens: compact JWS signed with the key of the tenant its {@code tid}
 * claim names, with a {@code sub} that is a valid user id. A tenant's tokens are signed
 * either with its shared secret (HS256 only) or with a private key whose public half the
 * tenant publishes as a JWK set (RS256 or ES256 only; the key is picked by the token's
 * {@code kid}, and a key id the cache lacks makes the set be fetched again, so keys
 * rotate without a restart). A token signed with another algorithm than its tenant's is
 * refused, so a public key can never serve as an HMAC secret. {@code exp} and {@code nbf}
 * are honoured within {@link JwtProperties#clockSkew()}; a token without {@code exp} does
 * not expire (issue short-lived tokens). One rule holds everywhere: a token is valid
 * until {@code exp} plus the skew ({@link UserPrincipal#validUntil()}); from that instant
 * an upgrade or request with it is refused and a session opened with it is closed with
 * {@code 4401}, never earlier. A token of one tenant can never pass as another's: the key
 * is chosen by {@code tid} and the signature covers it.
 */
@Component
public class UserTokens {

	/** Tokens are small; a longer one is refused before it is parsed. */
	static final int MAX_TOKEN_LENGTH = 8 * 1024;

	/** HS256 needs a key of at least 256 bits (RFC 7518, section 3.2). */
	static final int MIN_SECRET_BYTES = 32;

	/** The algorithms of a tenant that publishes a JWK set. */
	static final Set<JWSAlgorithm> PUBLIC_KEY_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

	private final Map<String, TenantVerifier> verifiers = new HashMap<>();

	private final Duration clockSkew;

	private final Clock clock;

	UserTokens(JwtProperties properties, Clock clock) {
		for (JwtProperties.TenantKey key : properties.tenants()) {
			this.verifiers.put(key.tenant(), (key.jwksUrl() != null) ? TenantVerifier.jwks(key.tenant(), key.jwksUrl())
					: TenantVerifier.secret(key.tenant(), Objects.requireNonNull(key.secret())));
		}
		this.clockSkew = properties.clockSkew();
		this.clock = clock;
	}

	/**
	 * What a refused request is told about how to authenticate
	 * ({@code WWW-Authenticate}).
	 */
	public static final String CHALLENGE = "Bearer realm=\"herald\", error=\"invalid_token\"";

	private static final String BEARER = "Bearer ";

	/**
	 * The user a request speaks for, by the token it presents:
	 * {@code Authorization: Bearer <jwt>} or, for browsers, which cannot set headers on a
	 * WebSocket or an EventSource, the {@code access_token} query parameter.
	 * @param authorization the request's {@code Authorization} header
	 * @param accessToken the request's {@code access_token} query parameter
	 * @throws InvalidTokenException with a reason fit for the caller when there is no
	 * token or it proves nothing
	 */
	public UserPrincipal authenticate(@Nullable String authorization, @Nullable String accessToken)
			throws InvalidTokenException {
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			String token = authorization.substring(BEARER.length()).strip();
			if (!token.isEmpty()) {
				return verify(token);
			}
		}
		else if (accessToken != null && !accessToken.isBlank()) {
			return verify(accessToken.strip());
		}
		throw new InvalidTokenException(
				"Send a user token as 'Authorization: Bearer <jwt>' or the 'access_token' query parameter.");
	}

	/**
	 * The user a token speaks for.
	 * @throws InvalidTokenException with a reason fit for the caller when it proves
	 * nothing
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
		String tenant = stringClaim(claims, "tid");
		TenantVerifier verifier = (tenant != null) ? this.verifiers.get(tenant) : null;
		if (verifier == null) {
			throw new InvalidTokenException("The token's tenant (tid) is not known.");
		}
		verifier.verify(jwt);
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

	/** How one tenant's signatures are checked. */
	private interface TenantVerifier {

		/**
		 * @throws InvalidTokenException unless the token is signed with the tenant's
		 * algorithm and key
		 */
		void verify(SignedJWT jwt) throws InvalidTokenException;

		/** HS256 with the tenant's shared secret. */
		static TenantVerifier secret(String tenant, String secret) {
			byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
			if (bytes.length < MIN_SECRET_BYTES) {
				throw new IllegalArgumentException("The JWT secret of tenant '" + tenant + "' must be at least "
						+ MIN_SECRET_BYTES + " bytes long for HS256");
			}
			MACVerifier mac;
			try {
				mac = new MACVerifier(bytes);
			}
			catch (JOSEException ex) {
				throw new IllegalArgumentException("The JWT secret of tenant '" + tenant + "' is unusable", ex);
			}
			return (jwt) -> {
				if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
					throw new InvalidTokenException("The token must be signed with HS256.");
				}
				checked(jwt, mac);
			};
		}

		/**
		 * RS256 or ES256 with a key of the tenant's JWK set, cached and fetched again for
		 * an unknown key id.
		 */
		static TenantVerifier jwks(String tenant, URI url) {
			JWKSource<SecurityContext> source;
			try {
				source = JWKSourceBuilder.create(url.toURL()).retrying(true).build();
			}
			catch (MalformedURLException ex) {
				throw new IllegalArgumentException("The jwks-url of tenant '" + tenant + "' is not a URL: " + url, ex);
			}
			JWSVerificationKeySelector<SecurityContext> keys = new JWSVerificationKeySelector<>(PUBLIC_KEY_ALGORITHMS,
					source);
			DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
			return (jwt) -> {
				if (!PUBLIC_KEY_ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
					throw new InvalidTokenException("The token must be signed with RS256 or ES256.");
				}
				List<? extends Key> candidates;
				try {
					candidates = keys.selectJWSKeys(jwt.getHeader(), null);
				}
				catch (KeySourceException ex) {
					throw new InvalidTokenException("The keys of the token's tenant cannot be fetched.");
				}
				for (Key key : candidates) {
					try {
						if (jwt.verify(verifiers.createJWSVerifier(jwt.getHeader(), key))) {
							return;
						}
					}
					catch (JOSEException ex) {
						// Not this key.
					}
				}
				throw new InvalidTokenException("The token's signature is not valid.");
			};
		}

		private static void checked(SignedJWT jwt, JWSVerifier verifier) throws InvalidTokenException {
			try {
				if (!jwt.verify(verifier)) {
					throw new InvalidTokenException("The token's signature is not valid.");
				}
			}
			catch (JOSEException ex) {
				throw new InvalidTokenException("The token's signature cannot be verified.");
			}
		}

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
