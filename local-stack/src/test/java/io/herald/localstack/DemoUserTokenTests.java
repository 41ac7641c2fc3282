package io.herald.localstack;

import java.time.Duration;
import java.time.Instant;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoUserTokenTests {

	private static final String SECRET = LocalStackSettings.DEFAULT_DEMO_JWT_SECRET;

	private static final Instant ISSUED_AT = Instant.parse("2026-11-22T08:00:00Z");

	@Test
	void isSignedWithHs256AndTheDemoJwtSecret() throws Exception {
		SignedJWT token = SignedJWT.parse(DemoUserToken.mint("demo", SECRET, "demo-user", ISSUED_AT));
		assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
		assertThat(token.verify(new MACVerifier(SECRET))).isTrue();
		assertThat(token.verify(new MACVerifier("another-secret-0123456789abcdef0123456789"))).isFalse();
	}

	@Test
	void speaksForItsUserOfTheDemoTenantForThirtyDays() throws Exception {
		JWTClaimsSet claims = SignedJWT.parse(DemoUserToken.mint("acme", SECRET, "u-42", ISSUED_AT)).getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo("u-42");
		assertThat(claims.getStringClaim("tid")).isEqualTo("acme");
		assertThat(claims.getIssueTime().toInstant()).isEqualTo(ISSUED_AT);
		assertThat(claims.getExpirationTime().toInstant()).isEqualTo(ISSUED_AT.plus(Duration.ofDays(30)));
	}

}
