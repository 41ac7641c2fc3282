package io.herald.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UserTokenMinterTests {

	private static final String SECRET = "demo-secret-0123456789abcdef0123456789abcdef";

	private static final Instant ISSUED = Instant.parse("2026-11-26T10:00:00Z");

	@Test
	void hs256TokensCarryUserTenantAndLifetime() throws Exception {
		SignedJWT jwt = SignedJWT
			.parse(UserTokenMinter.hs256("demo", SECRET).mint("u-42", ISSUED, Duration.ofMinutes(15)));
		assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("u-42");
		assertThat(jwt.getJWTClaimsSet().getStringClaim("tid")).isEqualTo("demo");
		assertThat(jwt.getJWTClaimsSet().getIssueTime()).isEqualTo(Date.from(ISSUED));
		assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isEqualTo(Date.from(ISSUED.plusSeconds(900)));
	}

	@Test
	void rs256TokensNameTheirKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair keys = generator.generateKeyPair();
		SignedJWT jwt = SignedJWT.parse(UserTokenMinter.rs256("acme", "k-2026", (RSAPrivateKey) keys.getPrivate())
			.mint("u-1", Duration.ofMinutes(5)));
		assertVerified(jwt, new RSASSAVerifier((RSAPublicKey) keys.getPublic()), JWSAlgorithm.RS256);
	}

	@Test
	void es256TokensNameTheirKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair keys = generator.generateKeyPair();
		SignedJWT jwt = SignedJWT.parse(UserTokenMinter.es256("acme", "k-2026", (ECPrivateKey) keys.getPrivate())
			.mint("u-1", Duration.ofMinutes(5)));
		assertVerified(jwt, new ECDSAVerifier((ECPublicKey) keys.getPublic()), JWSAlgorithm.ES256);
	}

	@Test
	void refusesAShortSecret() {
		assertThatIllegalArgumentException().isThrownBy(() -> UserTokenMinter.hs256("demo", "short"))
			.withMessageContaining("at least 32 bytes");
	}

	@Test
	void refusesANonPositiveLifetime() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UserTokenMinter.hs256("demo", SECRET).mint("u-1", Duration.ZERO));
	}

	private static void assertVerified(SignedJWT jwt, JWSVerifier verifier, JWSAlgorithm algorithm) throws Exception {
		assertThat(jwt.verify(verifier)).isTrue();
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(algorithm);
		assertThat(jwt.getHeader().getKeyID()).isEqualTo("k-2026");
		assertThat(jwt.getJWTClaimsSet().getStringClaim("tid")).isEqualTo("acme");
	}

}
