package io.herald.loaddriver;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The tokens the load driver's live users connect with. */
class LiveUserTokensTests {

	private static final String SECRET = DemoAccount.JWT_SECRET;

	@Test
	void mintsAnHs256TokenNamingUserAndTenantThatExpiresInAnHour() throws Exception {
		Instant issuedAt = Instant.parse("2026-11-22T18:00:00Z");
		SignedJWT jwt = SignedJWT
			.parse(LiveUsers.tokens("demo", SECRET).mint("bench-r1-42", issuedAt, LiveUsers.TOKEN_LIFETIME));
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
		assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo("bench-r1-42");
		assertThat(claims.getStringClaim("tid")).isEqualTo("demo");
		assertThat(claims.getIssueTime().toInstant()).isEqualTo(issuedAt);
		assertThat(claims.getExpirationTime().toInstant()).isEqualTo(Instant.parse("2026-11-22T19:00:00Z"));
	}

	@Test
	void tokenSignedWithAnotherSecretDoesNotVerify() throws Exception {
		String token = LiveUsers.tokens("demo", "another-secret-0123456789abcdef0123456789")
			.mint("u", LiveUsers.TOKEN_LIFETIME);
		assertThat(SignedJWT.parse(token).verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isFalse();
	}

	@Test
	void refusesASecretTooShortForHs256() {
		assertThatIllegalArgumentException().isThrownBy(() -> LiveUsers.tokens("demo", "short"))
			.withMessageContaining("--jwt-secret must be at least 32 bytes");
	}

}
