package io.herald.support.secrets;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class DemoSecretsGuardTests {

	private static final String DEMO_JWT_SECRET = "demo-secret-0123456789abcdef0123456789abcdef";

	@Test
	void knowsTheLocalStacksDemoCredentialsByTheirHashes() {
		assertThat(DemoSecretsGuard.sha256("demo-key")).isEqualTo(DemoSecretsGuard.DEMO_API_KEY_SHA256);
		assertThat(DemoSecretsGuard.sha256(DEMO_JWT_SECRET)).isEqualTo(DemoSecretsGuard.DEMO_JWT_SECRET_SHA256);
	}

	@Test
	void refusesTheDemoApiKeyOutsideTheLocalProfile() {
		MockEnvironment environment = new MockEnvironment().withProperty("herald.api-keys[0].sha256", "other")
			.withProperty("herald.api-keys[1].sha256", DemoSecretsGuard.DEMO_API_KEY_SHA256.toUpperCase());

		assertThatIllegalStateException().isThrownBy(() -> DemoSecretsGuard.check(environment))
			.withMessageContaining("herald.api-keys[1].sha256")
			.withMessageNotContaining("api-keys[0]")
			.withMessageContaining("'local'");
	}

	@Test
	void refusesTheDemoSecretForUserTokensOutsideTheLocalProfile() {
		MockEnvironment environment = new MockEnvironment().withProperty("herald.gateway.jwt.tenants[0].tenant", "demo")
			.withProperty("herald.gateway.jwt.tenants[0].secret", DEMO_JWT_SECRET);

		assertThatIllegalStateException().isThrownBy(() -> DemoSecretsGuard.check(environment))
			.withMessageContaining("herald.gateway.jwt.tenants[0].secret");
	}

	@Test
	void acceptsTheDemoCredentialsInTheLocalProfile() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("herald.api-keys[0].sha256", DemoSecretsGuard.DEMO_API_KEY_SHA256)
			.withProperty("herald.gateway.jwt.tenants[0].secret", DEMO_JWT_SECRET);
		environment.setActiveProfiles(DemoSecretsGuard.LOCAL_PROFILE);

		assertThatNoException().isThrownBy(() -> DemoSecretsGuard.check(environment));
	}

	@Test
	void acceptsCredentialsOfYourOwn() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("herald.api-keys[0].sha256", DemoSecretsGuard.sha256("a key of our own"))
			.withProperty("herald.gateway.jwt.tenants[0].secret", "a secret of our own, long enough to sign");

		assertThatNoException().isThrownBy(() -> DemoSecretsGuard.check(environment));
	}

}
