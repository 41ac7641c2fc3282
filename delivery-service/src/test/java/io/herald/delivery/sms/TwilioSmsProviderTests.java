package io.herald.delivery.sms;

import com.twilio.exception.ApiException;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.FailureCause;
import io.herald.delivery.provider.RejectionCause;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;

class TwilioSmsProviderTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Properties.class);

	@Test
	void invalidAndUnreachableNumbersAreRejectedForGood() {
		assertThat(TwilioSmsProvider.classify(error(21211, 400))).isEqualTo(rejected("invalid_number", 21211, 400));
		assertThat(TwilioSmsProvider.classify(error(21614, 400))).isInstanceOfSatisfying(DeliveryOutcome.Rejected.class,
				(rejected) -> assertThat(rejected.reason()).isEqualTo("invalid_number"));
	}

	@Test
	void anUnsubscribedRecipientIsRejectedForGood() {
		assertThat(TwilioSmsProvider.classify(error(21610, 400))).isInstanceOfSatisfying(DeliveryOutcome.Rejected.class,
				(rejected) -> assertThat(rejected.reason()).isEqualTo("unsubscribed"));
	}

	@Test
	void anAccountsCredentialsOrLimitsAreTemporaryForTheSend() {
		assertThat(TwilioSmsProvider.classify(error(20003, 401))).isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
				(failed) -> assertThat(failed.reason()).isEqualTo("auth"));
		assertThat(TwilioSmsProvider.classify(error(20429, 429))).isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
				(failed) -> {
					assertThat(failed.cause()).isEqualTo(FailureCause.PROVIDER_THROTTLED);
					assertThat(failed.reason()).isEqualTo("rate_limited");
				});
		assertThat(TwilioSmsProvider.classify(error(20500, 500))).isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
				(failed) -> assertThat(failed.reason()).isEqualTo("unavailable"));
	}

	@Test
	void anAccountNeedsExactlyOneSender() {
		this.contexts
			.withPropertyValues("herald.delivery.twilio.providers[0].account-sid=AC1",
					"herald.delivery.twilio.providers[0].auth-token=t")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("exactly one of 'from'"));
		this.contexts
			.withPropertyValues("herald.delivery.twilio.providers[0].account-sid=AC1",
					"herald.delivery.twilio.providers[0].auth-token=t",
					"herald.delivery.twilio.providers[0].from=+15005550006",
					"herald.delivery.twilio.providers[0].messaging-service-sid=MG1")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void anAccountWithoutCredentialsFailsAtStart() {
		this.contexts.withPropertyValues("herald.delivery.twilio.providers[0].from=+15005550006")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void anAccountGetsSensibleDefaults() {
		this.contexts
			.withPropertyValues("herald.delivery.twilio.providers[0].account-sid=AC1",
					"herald.delivery.twilio.providers[0].auth-token=t",
					"herald.delivery.twilio.providers[0].from=+15005550006")
			.run((context) -> {
				TwilioProperties.Account account = context.getBean(TwilioProperties.class).providers().get(0);
				assertThat(account.name()).isEqualTo("twilio");
				assertThat(account.baseUrl()).hasToString("https://api.twilio.com");
				assertThat(account.maxInFlight()).isEqualTo(256);
			});
	}

	private static ApiException error(int code, int status) {
		return new ApiException("error " + code, code, null, status, null, null, null, null);
	}

	private static DeliveryOutcome rejected(String reason, int code, int status) {
		return new DeliveryOutcome.Rejected(RejectionCause.INVALID_ADDRESS, reason,
				"Twilio error " + code + " (HTTP " + status + "): error " + code);
	}

	@EnableConfigurationProperties(TwilioProperties.class)
	static class Properties {

	}

}
