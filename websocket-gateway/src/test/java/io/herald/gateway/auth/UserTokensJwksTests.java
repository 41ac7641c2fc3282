package io.herald.gateway.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.herald.gateway.TestJwks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tokens of a tenant that signs them with its own private key and publishes the public
 * keys as a JWK set, served by a real HTTP server ({@link TestJwks}): RS256 and ES256 are
 * accepted by key id, a rotated key is fetched without a restart, and nothing else passes
 * (another key, HS256 with the public key as the secret, an unsigned token, a set that
 * cannot be fetched).
 */
class UserTokensJwksTests {

	private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	private final TestJwks jwks = new TestJwks();

	private final RSAKey rsa = TestJwks.rsaKey("rsa-1");

	private final ECKey ec = TestJwks.ecKey("ec-1");

	@AfterEach
	void stop() {
		this.jwks.close();
	}

	@Test
	void rs256AndEs256TokensOfThePublishedKeysSpeakForTheirUser() throws Exception {
		this.jwks.publish(this.rsa, this.ec);
		UserTokens tokens = tokens();

		assertThat(tokens.verify(TestJwks.token(this.rsa, claims("u-1"))))
			.isEqualTo(new UserPrincipal("t-keys", "u-1", null));
		assertThat(tokens.verify(TestJwks.token(this.ec, claims("u-2"))).userId()).isEqualTo("u-2");
		assertThat(this.jwks.fetches()).as("the set is cached").isEqualTo(1);
	}

	@Test
	void aRotatedKeyIsFetchedWithoutARestart() throws Exception {
		this.jwks.publish(this.rsa);
		UserTokens tokens = tokens();
		tokens.verify(TestJwks.token(this.rsa, claims("u-1")));

		RSAKey next = TestJwks.rsaKey("rsa-2");
		this.jwks.publish(this.rsa, next);

		assertThat(tokens.verify(TestJwks.token(next, claims("u-1"))).userId()).isEqualTo("u-1");
		assertThat(this.jwks.fetches()).isEqualTo(2);
	}

	@Test
	void aTokenSignedWithAKeyTheTenantDidNotPublishIsRefused() {
		this.jwks.publish(this.rsa);
		String stranger = TestJwks.token(TestJwks.rsaKey("rsa-1"), claims("u-1"));

		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> tokens().verify(stranger))
			.withMessage("The token's signature is not valid.");
	}

	@Test
	void hs256SignedWithThePublicKeyOrNoSignatureAtAllIsRefused() throws Exception {
		this.jwks.publish(this.rsa);
		byte[] publicKey = this.rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
		SignedJWT hs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
				claims("u-1"));
		hs256.sign(new MACSigner(publicKey));
		String unsigned = new PlainJWT(claims("u-1")).serialize();

		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> tokens().verify(hs256.serialize()))
			.withMessage("The token must be signed with RS256 or ES256.");
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> tokens().verify(unsigned))
			.withMessage("The token is not a signed JWT.");
	}

	@Test
	void aKeySetThatCannotBeFetchedRefusesTheTokenClearly() {
		this.jwks.publish(this.rsa);
		this.jwks.close();

		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> tokens().verify(TestJwks.token(this.rsa, claims("u-1"))))
			.withMessage("The keys of the token's tenant cannot be fetched.");
	}

	@Test
	void aTenantNeedsASecretOrAKeySetButNotBoth() {
		URI url = URI.create("https://keys.example/jwks.json");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JwtProperties.TenantKey("t", "secret-0123456789abcdef0123456789abcdef", url))
			.withMessageContaining("not both");
		assertThatIllegalArgumentException().isThrownBy(() -> new JwtProperties.TenantKey("t", null, null))
			.withMessageContaining("not neither");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JwtProperties.TenantKey("t", null, URI.create("file:///etc/keys.json")))
			.withMessageContaining("must be an http(s) URL");
		assertThat(new JwtProperties.TenantKey("t", null, url).toString()).contains(url.toString());
	}

	private UserTokens tokens() {
		return new UserTokens(new JwtProperties(List.of(new JwtProperties.TenantKey("t-keys", null, this.jwks.url())),
				Duration.ofSeconds(30)), Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static JWTClaimsSet claims(String userId) {
		return new JWTClaimsSet.Builder().subject(userId).claim("tid", "t-keys").issueTime(Date.from(NOW)).build();
	}

}
