package io.herald.delivery.sms;

import io.herald.delivery.DeliveryIntegrationTest;
import io.herald.delivery.Lanes;
import io.herald.delivery.TwilioAccounts;
import io.herald.events.DeliveryState;
import io.herald.events.Priority;
import io.herald.infra.sandbox.TwilioMessage;
import io.herald.infra.sandbox.TwilioSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.stream.IntStream;

import static io.herald.delivery.Lanes.notification;
import static io.herald.delivery.Lanes.sms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A provider's rate limit: an account allowed one message a second passes what it may not
 * send now to the next account, instead of holding the lane.
 */
class ProviderRateLimitIntegrationTests extends DeliveryIntegrationTest {

	private static final TwilioSandbox slow = TwilioSandbox.start();

	private static final TwilioSandbox backup = TwilioSandbox.start();

	@DynamicPropertySource
	static void twilio(DynamicPropertyRegistry registry) {
		TwilioAccounts.register(registry, 0, "twilio-one-per-second", slow);
		registry.add("herald.delivery.twilio.providers[0].rate-per-second", () -> "1");
		TwilioAccounts.register(registry, 1, "twilio-backup", backup);
	}

	@AfterAll
	static void stopSandboxes() {
		slow.close();
		backup.close();
	}

	@Test
	void sendsOverAnAccountsRateGoToTheNextAccount() {
		String phone = "+4915100000001";
		lanes.deliverAll(IntStream.range(0, 10)
			.mapToObj((n) -> notification(this.user, "e-" + n, Priority.HIGH, sms(phone)))
			.toList());

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.statuses(this.user))
				.filteredOn((status) -> status.state() == DeliveryState.SENT)
				.hasSize(10));
		List<TwilioMessage> limited = slow.messages();
		// Ten sends one after another take well under the seconds it would take the
		// limited account to send most of them: the rest went to the backup at once.
		assertThat(limited.size()).as("messages through the account allowed one a second").isBetween(1, 6);
		assertThat(limited.size() + backup.messages().size()).isEqualTo(10);
	}

}
