package io.herald.delivery.apns;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class ApnsPushProviderTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Properties.class);

	@Test
	void apnsReasonsBecomeSnakeCaseStatusReasons() {
		assertThat(ApnsPushProvider.snakeCase("BadDeviceToken")).isEqualTo("bad_device_token");
		assertThat(ApnsPushProvider.snakeCase("Unregistered")).isEqualTo("unregistered");
		assertThat(ApnsPushProvider.snakeCase("PayloadTooLarge")).isEqualTo("payload_too_large");
	}

	@Test
	void anAccountNeedsASigningKeyOrACertificateButNotBoth() {
		this.contexts.withPropertyValues("herald.delivery.apns.providers[0].topic=io.herald.demo")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("exactly one of 'signing-key'"));
		this.contexts
			.withPropertyValues("herald.delivery.apns.providers[0].topic=io.herald.demo",
					"herald.delivery.apns.providers[0].signing-key=/keys/a.p8",
					"herald.delivery.apns.providers[0].team-id=T", "herald.delivery.apns.providers[0].key-id=K",
					"herald.delivery.apns.providers[0].certificate=/keys/a.p12")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void aSigningKeyNeedsItsTeamAndKeyIds() {
		this.contexts
			.withPropertyValues("herald.delivery.apns.providers[0].topic=io.herald.demo",
					"herald.delivery.apns.providers[0].signing-key=/keys/a.p8")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'team-id' and 'key-id'"));
	}

	@Test
	void anAccountDefaultsToApplesProductionHost() {
		this.contexts
			.withPropertyValues("herald.delivery.apns.providers[0].topic=io.herald.demo",
					"herald.delivery.apns.providers[0].certificate=/keys/a.p12")
			.run((context) -> {
				ApnsProperties.Account account = context.getBean(ApnsProperties.class).providers().get(0);
				assertThat(account.host()).isEqualTo("api.push.apple.com");
				assertThat(account.port()).isEqualTo(443);
				assertThat(account.name()).isEqualTo("apns");
			});
	}

	@EnableConfigurationProperties(ApnsProperties.class)
	static class Properties {

	}

}
