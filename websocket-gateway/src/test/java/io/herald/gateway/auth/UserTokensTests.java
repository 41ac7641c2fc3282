package io.herald.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How user tokens are verified: HS256 only, by their tenant's key, within the clock skew.
 */
class UserTokensTests {

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	private static final Duration SKEW = Duration.ofSeconds(30);

	private static final String SECRET_A = "tenant-a-secret-0123456789abcdef0123456789";

	private static final String SECRET_B = "tenant-b-secret-0123456789abcdef0123456789";

	private final UserTokens tokens = new UserTokens(new JwtProperties(
			List.of(new JwtProperties.TenantKey("t-a", SECRET_A), new JwtProperties.TenantKey("t-b", SECRET_B)), SKEW),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void validTokenSpeaksForItsUserAndTenantUntilItExpires() throws Exception {
		Instant expiresAt = NOW.plusSeconds(600);
		UserPrincipal user = this.tokens
			.verify(token(SECRET_A, (claims) -> claims.expirationTime(Date.from(expiresAt))));
		assertThat(user).isEqualTo(new UserPrincipal("t-a", "u-42", expiresAt.plus(SKEW)));
	}

	@Test
	void tokenWithoutExpiryIsValidAndNeverExpires() throws Exception {
		assertThat(this.tokens.verify(token(SECRET_B, (claims) -> claims.claim("tid", "t-b"))).validUntil()).isNull();
	}

	@Test
	void tokenExpiredLongerAgoThanTheClockSkewIsRefused() {
		assertInvalid(token(SECRET_A, (claims) -> claims.expirationTime(Date.from(NOW.minus(SKEW).minusSeconds(1)))),
				"The token has expired.");
		assertInvalid(token(SECRET_A, (claims) -> claims.expirationTime(Date.from(NOW.minus(SKEW)))),
				"The token has expired.");
	}

	@Test
	void tokenExpiredWithinTheClockSkewIsStillValidUntilExpiryPlusSkew() throws Exception {
		Instant expiresAt = NOW.minus(SKEW).plusSeconds(1);
		assertThat(this.tokens.verify(token(SECRET_A, (claims) -> claims.expirationTime(Date.from(expiresAt))))
			.validUntil()).isEqualTo(NOW.plusSeconds(1));
	}

	@Test
	void tokenIsValidUpToTheInstantItsSessionEndsAndRefusedFromIt() throws Exception {
		Instant expiresAt = NOW.plusSeconds(60);
		String token = token(SECRET_A, (claims) -> claims.expirationTime(Date.from(expiresAt)));
		Instant validUntil = this.tokens.verify(token).validUntil();
		assertThat(validUntil).isEqualTo(expiresAt.plus(SKEW));
		assertThat(tokensAt(validUntil.minusMillis(1)).verify(token).validUntil()).isEqualTo(validUntil);
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> tokensAt(validUntil).verify(token))
			.withMessage("The token has expired.");
	}

	private static UserTokens tokensAt(Instant now) {
		return new UserTokens(new JwtProperties(List.of(new JwtProperties.TenantKey("t-a", SECRET_A)), SKEW),
				Clock.fixed(now, ZoneOffset.UTC));
	}

	@Test
	void tokenNotValidBeforeAFutureBeyondTheClockSkewIsRefused() {
		assertInvalid(token(SECRET_A, (claims) -> claims.notBeforeTime(Date.from(NOW.plus(SKEW).plusSeconds(1)))),
				"The token is not valid yet.");
	}

	@Test
	void tokenNotValidBeforeAMomentWithinTheClockSkewIsValid() throws Exception {
		assertThat(this.tokens.verify(token(SECRET_A, (claims) -> claims.notBeforeTime(Date.from(NOW.plus(SKEW))))))
			.extracting(UserPrincipal::userId)
			.isEqualTo("u-42");
	}

	@Test
	void tokenWithAWrongSignatureIsRefused() {
		assertInvalid(token("some-other-secret-0123456789abcdef0123456789", UnaryOperator.identity()),
				"The token's signature is not valid.");
		String valid = token(SECRET_A, UnaryOperator.identity());
		int signature = valid.lastIndexOf('.') + 1;
		String tampered = valid.substring(0, signature) + "AAAA" + valid.substring(signature + 4);
		assertInvalid(tampered, "The token's signature is not valid.");
	}

	@Test
	void unsignedTokenWithAlgNoneIsRefused() {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("u-42").claim("tid", "t-a").build();
		assertInvalid(new PlainJWT(new PlainHeader(), claims).serialize(), "The token is not a signed JWT.");
		// The signature of a real token does not make alg none acceptable either.
		String valid = token(SECRET_A, UnaryOperator.identity());
		assertInvalid("eyJhbGciOiJub25lIn0" + valid.substring(valid.indexOf('.')), "The token is not a signed JWT.");
	}

	@Test
	void tokenSignedWithAnotherAlgorithmThanHs256IsRefused() {
		String hs512 = sign(JWSAlgorithm.HS512, SECRET_A + SECRET_A,
				new JWTClaimsSet.Builder().subject("u-42").claim("tid", "t-a").build());
		assertInvalid(hs512, "The token must be signed with HS256.");
	}

	@Test
	void tokenWithoutAValidUserIdAsSubjectIsRefused() {
		assertInvalid(token(SECRET_A, (claims) -> claims.subject(null)),
				"The token's subject (sub) must be a user id.");
		assertInvalid(token(SECRET_A, (claims) -> claims.subject("")), "The token's subject (sub) must be a user id.");
		assertInvalid(token(SECRET_A, (claims) -> claims.subject("u 42")),
				"The token's subject (sub) must be a user id.");
		assertInvalid(token(SECRET_A, (claims) -> claims.subject("u".repeat(129))),
				"The token's subject (sub) must be a user id.");
	}

	@Test
	void tokenOfAnUnknownOrMissingTenantIsRefused() {
		assertInvalid(token(SECRET_A, (claims) -> claims.claim("tid", "t-unknown")),
				"The token's tenant (tid) is not known.");
		assertInvalid(token(SECRET_A, (claims) -> claims.claim("tid", null)), "The token's tenant (tid) is not known.");
		assertInvalid(token(SECRET_A, (claims) -> claims.claim("tid", 42)), "The token's tenant (tid) is not known.");
	}

	@Test
	void tokenSignedByOneTenantCannotClaimToBeAnothersTenant() {
		assertInvalid(token(SECRET_A, (claims) -> claims.claim("tid", "t-b")), "The token's signature is not valid.");
	}

	@Test
	void overlongTokenIsRefusedBeforeItIsParsed() {
		String overlong = token(SECRET_A, (claims) -> claims.claim("pad", "x".repeat(UserTokens.MAX_TOKEN_LENGTH)));
		assertThat(overlong.length()).isGreaterThan(UserTokens.MAX_TOKEN_LENGTH);
		assertInvalid(overlong, "The token is too long.");
	}

	@Test
	void garbageIsRefused() {
		assertInvalid("garbage", "The token is not a signed JWT.");
		assertInvalid("a.b.c", "The token is not a signed JWT.");
		assertInvalid("", "The token is not a signed JWT.");
	}

	@Test
	void secretShorterThan32BytesFailsAtConstructionWithAPlainMessage() {
		JwtProperties properties = new JwtProperties(List.of(new JwtProperties.TenantKey("t-short", "too-short")),
				SKEW);
		assertThatIllegalArgumentException().isThrownBy(() -> new UserTokens(properties, Clock.systemUTC()))
			.withMessage("The JWT secret of tenant 't-short' must be at least 32 bytes long for HS256")
			.withMessageNotContaining("too-short");
	}

	@Test
	void tenantKeyHidesItsSecretWhenPrinted() {
		assertThat(new JwtProperties.TenantKey("t-a", SECRET_A).toString()).doesNotContain(SECRET_A).contains("t-a");
	}

	private void assertInvalid(String token, String reason) {
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.tokens.verify(token))
			.withMessage(reason);
	}

	/**
	 * A token of user {@code u-42} of tenant {@code t-a}, changed as given, HS256-signed.
	 */
	private static String token(String secret, UnaryOperator<JWTClaimsSet.Builder> change) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("u-42")
			.claim("tid", "t-a")
			.issueTime(Date.from(NOW));
		return sign(JWSAlgorithm.HS256, secret, change.apply(claims).build());
	}

	private static String sign(JWSAlgorithm algorithm, String secret, JWTClaimsSet claims) {
		SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
		try {
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

}
