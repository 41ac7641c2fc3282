package io.herald.gateway.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tokens of a tenant that signs them with its own private key and publishes the public keys as a
 * JWK set, served here by a real HTTP server: RS256 and ES256 are accepted by key id, a rotated key
 * is fetched without a restart, and nothing else passes (another key, HS256 with the public key as
 * the secret, {@code none}, a set that cannot be fetched).
 */
class UserTokensJwksTests {

	private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	private final AtomicReference<JWKSet> published = new AtomicReference<>();

	private final AtomicInteger fetches = new AtomicInteger();

	private final HttpServer server = jwksServer();

	private final RSAKey rsa = rsa("rsa-1");

	private final ECKey ec = ec("ec-1");

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void rs256AndEs256TokensOfThePublishedKeysSpeakForTheirUser() throws Exception {
		this.published.set(new JWKSet(List.of(this.rsa.toPublicJWK(), this.ec.toPublicJWK())));
		UserTokens tokens = tokens();

		assertThat(tokens.verify(rs256(this.rsa, "u-1"))).isEqualTo(new UserPrincipal("t-keys", "u-1", null));
		assertThat(tokens.verify(es256(this.ec, "u-2")).userId()).isEqualTo("u-2");
		assertThat(this.fetches.get()).as("the set is cached").isEqualTo(1);
	}

	@Test
	void aRotatedKeyIsFetchedWithoutARestart() throws Exception {
		this.published.set(new JWKSet(this.rsa.toPublicJWK()));
		UserTokens tokens = tokens();
		tokens.verify(rs256(this.rsa, "u-1"));

		RSAKey next = rsa("rsa-2");
		this.published.set(new JWKSet(List.of(this.rsa.toPublicJWK(), next.toPublicJWK())));

		assertThat(tokens.verify(rs256(next, "u-1")).userId()).isEqualTo("u-1");
		assertThat(this.fetches.get()).isEqualTo(2);
	}

	@Test
	void aTokenSignedWithAKeyTheTenantDidNotPublishIsRefused() throws Exception {
		this.published.set(new JWKSet(this.rsa.toPublicJWK()));
		RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();

		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> tokens().verify(rs256(stranger, "u-1")))
			.withMessage("The token's signature is not valid.");
	}

	@Test
	void hs256SignedWithThePublicKeyOrNoSignatureAtAllIsRefused() throws Exception {
		this.published.set(new JWKSet(this.rsa.toPublicJWK()));
		byte[] publicKey = this.rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
		SignedJWT hs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims("u-1"));
		hs256.sign(new MACSigner(publicKey));
		String unsigned = new PlainJWT(claims("u-1")).serialize();

		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> tokens().verify(hs256.serialize()))
			.withMessage("The token must be signed with RS256 or ES256.");
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> tokens().verify(unsigned))
			.withMessage("The token is not a signed JWT.");
	}

	@Test
	void aKeySetThatCannotBeFetchedRefusesTheTokenClearly() throws Exception {
		this.published.set(new JWKSet(this.rsa.toPublicJWK()));
		this.server.stop(0);

		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> tokens().verify(rs256(this.rsa, "u-1")))
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
		URI url = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks.json");
		return new UserTokens(new JwtProperties(List.of(new JwtProperties.TenantKey("t-keys", null, url)),
				Duration.ofSeconds(30)), Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static String rs256(RSAKey key, String userId) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
				claims(userId));
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static String es256(ECKey key, String userId) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
				claims(userId));
		jwt.sign(new ECDSASigner(key));
		return jwt.serialize();
	}

	private static JWTClaimsSet claims(String userId) {
		return new JWTClaimsSet.Builder().subject(userId).claim("tid", "t-keys").issueTime(Date.from(NOW)).build();
	}

	private static RSAKey rsa(String keyId) {
		try {
			return new RSAKeyGenerator(2048).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ECKey ec(String keyId) {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Serves the published set at {@code /jwks.json}, counting the fetches. */
	private HttpServer jwksServer() {
		try {
			HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			jwks.createContext("/jwks.json", (exchange) -> {
				this.fetches.incrementAndGet();
				byte[] body = this.published.get().toString(true).getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			jwks.start();
			return jwks;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
