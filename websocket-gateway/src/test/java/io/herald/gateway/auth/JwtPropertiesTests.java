package io.herald.gateway.auth;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Binding and validation of the tenants' signing keys. */
class JwtPropertiesTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(JwtConfiguration.class);

	@Test
	void bindsEachTenantsKeyAndDefaultsTheClockSkewTo30Seconds() {
		this.contexts
			.withPropertyValues("herald.gateway.jwt.tenants[0].tenant=t-a",
					"herald.gateway.jwt.tenants[0].secret=tenant-a-secret-0123456789abcdef0123456789")
			.run((context) -> {
				JwtProperties properties = context.getBean(JwtProperties.class);
				assertThat(properties.tenants()).singleElement()
					.isEqualTo(new JwtProperties.TenantKey("t-a", "tenant-a-secret-0123456789abcdef0123456789"));
				assertThat(properties.clockSkew()).isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void withoutTenantsNoTokenIsValidButTheGatewayStarts() {
		this.contexts.run((context) -> assertThat(context.getBean(JwtProperties.class).tenants()).isEmpty());
	}

	@Test
	void blankSecretWithoutAKeySetFailsNamingTheTenant() {
		this.contexts
			.withPropertyValues("herald.gateway.jwt.tenants[0].tenant=t-a", "herald.gateway.jwt.tenants[0].secret=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Tenant 't-a' needs either a JWT secret (HS256) or a jwks-url"));
	}

	@Test
	void bindsATenantThatPublishesItsKeys() {
		this.contexts
			.withPropertyValues("herald.gateway.jwt.tenants[0].tenant=t-a",
					"herald.gateway.jwt.tenants[0].jwks-url=https://auth.example/.well-known/jwks.json")
			.run((context) -> assertThat(context.getBean(JwtProperties.class).tenants()).singleElement()
				.isEqualTo(new JwtProperties.TenantKey("t-a", null,
						URI.create("https://auth.example/.well-known/jwks.json"))));
	}

	@Test
	void blankTenantFailsValidation() {
		this.contexts
			.withPropertyValues("herald.gateway.jwt.tenants[0].tenant=",
					"herald.gateway.jwt.tenants[0].secret=tenant-a-secret-0123456789abcdef0123456789")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("herald.gateway.jwt.tenants[0].tenant"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(JwtProperties.class)
	static class JwtConfiguration {

	}

}
