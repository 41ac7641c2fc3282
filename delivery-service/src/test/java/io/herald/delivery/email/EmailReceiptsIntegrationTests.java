package io.herald.delivery.email;

import io.herald.delivery.DeliveryIntegrationTest;
import io.herald.delivery.Lanes;
import io.herald.delivery.dispatch.AddressSuppressions;
import io.herald.delivery.receipt.PermanentFailureListener;
import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.events.SuppressionReason;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.infra.sandbox.MailReport;
import io.herald.infra.sandbox.MailReportSent;
import io.herald.infra.sandbox.MailSandbox;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

import static io.herald.delivery.Lanes.email;
import static io.herald.delivery.Lanes.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Bounces and complaints end to end: the mail sandbox takes a message, then sends a DSN
 * or an ARF report to its VERP envelope sender, and the delivery service reads it from
 * the bounce mailbox over IMAP. A permanent failure suppresses the address: a
 * {@code suppress-address} command goes to routing, in the same write as the status.
 */
class EmailReceiptsIntegrationTests extends DeliveryIntegrationTest {

	private static final String BOUNCES = "bounces@herald.test";

	private static final String PASSWORD = "bounce-mailbox-secret";

	/**
	 * Addresses whose suppression the broker refuses: their bounces cannot be recorded.
	 */
	private static final String UNRECORDABLE = "unrecordable-";

	private static final MailSandbox mail = MailSandbox.start();

	@DynamicPropertySource
	static void relay(DynamicPropertyRegistry registry) {
		mail.mailbox(BOUNCES, PASSWORD);
		String prefix = "herald.delivery.smtp.";
		registry.add(prefix + "providers[0].name", () -> "smtp-receipts");
		registry.add(prefix + "providers[0].host", mail::host);
		registry.add(prefix + "providers[0].port", mail::port);
		registry.add(prefix + "providers[0].security", () -> "none");
		registry.add(prefix + "providers[0].from", () -> "Herald <no-reply@herald.test>");
		registry.add(prefix + "bounces.address", () -> BOUNCES);
		registry.add(prefix + "bounces.mailbox.host", mail::host);
		registry.add(prefix + "bounces.mailbox.port", mail::imapPort);
		registry.add(prefix + "bounces.mailbox.security", () -> "none");
		registry.add(prefix + "bounces.mailbox.username", () -> BOUNCES);
		registry.add(prefix + "bounces.mailbox.password", () -> PASSWORD);
		registry.add(prefix + "bounces.mailbox.poll-interval", () -> "200ms");
	}

	@AfterAll
	static void stopSandbox() {
		mail.close();
	}

	@AfterEach
	void clearFailures() {
		mail.clearFailures();
	}

	@Test
	void aHardBounceFailsTheEmailAsBouncedAndSuppressesTheAddress() {
		String address = this.user + "@" + MailSandbox.UNDELIVERABLE_DOMAIN;
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, email(address)));

		StatusReported failed = awaitState(DeliveryState.FAILED);
		assertThat(failed.reason()).isEqualTo("bounced");
		assertThat(failed.channel()).isEqualTo(Channel.EMAIL);
		MailReportSent report = reportTo(address);
		assertThat(report.to()).startsWith("bounces+").endsWith("@herald.test");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.suppressions(this.user)).singleElement().satisfies((command) -> {
				assertThat(command.channel()).isEqualTo(Channel.EMAIL);
				assertThat(command.address()).isEqualToIgnoringCase(address);
				assertThat(command.reason()).isEqualTo(SuppressionReason.BAD_ADDRESS);
			}));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(receipts("bounce-mailbox", "accepted")).isPositive());
	}

	@Test
	void aDigestsSendAndItsBounceAreReportedForEveryEventItLists() {
		String address = this.user + "@" + MailSandbox.UNDELIVERABLE_DOMAIN;
		lanes.deliver(notification(this.user, "digest-1", Priority.NORMAL, email(address))
			.withDigestOf(List.of("e-1", "e-2")));

		awaitState(DeliveryState.FAILED);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.statuses(this.user))
				.filteredOn((status) -> status.state() == DeliveryState.FAILED)
				.extracting(StatusReported::eventId, StatusReported::reason)
				.containsExactlyInAnyOrder(tuple("digest-1", "bounced"), tuple("e-1", "bounced"),
						tuple("e-2", "bounced")));
		assertThat(Lanes.statuses(this.user)).filteredOn((status) -> status.state() == DeliveryState.SENT)
			.extracting(StatusReported::eventId)
			.containsExactlyInAnyOrder("digest-1", "e-1", "e-2");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.suppressions(this.user)).singleElement()
				.satisfies((command) -> assertThat(command.reason()).isEqualTo(SuppressionReason.BAD_ADDRESS)));
	}

	@Test
	void aComplaintKeepsTheEmailDeliveredWithItsReasonAndSuppressesTheAddress() {
		String address = this.user + "@" + MailSandbox.COMPLAINING_DOMAIN;
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, email(address)));

		StatusReported complained = awaitState(DeliveryState.DELIVERED);
		assertThat(complained.reason()).isEqualTo("complained");
		assertThat(Lanes.statuses(this.user)).extracting(StatusReported::state).doesNotContain(DeliveryState.FAILED);
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(Lanes.suppressions(this.user)).extracting(UserCommand.SuppressAddress::reason)
						.containsExactly(SuppressionReason.COMPLAINT));
	}

	@Test
	void aSoftBounceIsCountedAndChangesNothing() {
		String address = this.user + "@example.com";
		mail.markReporting(address, MailReport.SOFT_BOUNCE);
		double softBounces = receipts("bounce-mailbox", "soft_bounce");
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, email(address)));

		reportTo(address);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(receipts("bounce-mailbox", "soft_bounce")).isGreaterThan(softBounces));
		assertThat(Lanes.statuses(this.user)).extracting(StatusReported::state).containsExactly(DeliveryState.SENT);
		assertThat(Lanes.suppressions(this.user)).isEmpty();
	}

	@Test
	void aReportThatCannotBeRecordedIsDroppedAfterItsTriesAndHoldsUpNoLaterOne() {
		String unrecordable = UNRECORDABLE + this.user + "@" + MailSandbox.UNDELIVERABLE_DOMAIN;
		String address = this.user + "@" + MailSandbox.UNDELIVERABLE_DOMAIN;
		double dropped = receipts("bounce-mailbox", "unrecordable");
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, email(unrecordable)));
		reportTo(unrecordable);
		lanes.deliver(notification(this.user, "e-2", Priority.HIGH, email(address)));

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.suppressions(this.user)).singleElement().satisfies((command) -> {
				assertThat(command.address()).isEqualToIgnoringCase(address);
				assertThat(command.reason()).isEqualTo(SuppressionReason.BAD_ADDRESS);
			}));
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(receipts("bounce-mailbox", "unrecordable")).isEqualTo(dropped + 1));
	}

	private static MailReportSent reportTo(String address) {
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(mail.reports()).anyMatch((report) -> report.recipient().equals(address)));
		return mail.reports().stream().filter((report) -> report.recipient().equals(address)).findFirst().orElseThrow();
	}

	/**
	 * A listener whose records for an {@link #UNRECORDABLE} address are larger than the
	 * producer sends (a record the broker refuses for good); otherwise the service's own.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class RefusedSuppressions {

		@Bean
		@Primary
		PermanentFailureListener refusingUnrecordableAddresses(AddressSuppressions suppressions) {
			return (failure) -> (failure.address() != null && failure.address().startsWith(UNRECORDABLE)) ? List
				.of(new ProducerRecord<>(Topics.USER_COMMANDS.name(), failure.userId(), new byte[2 * 1024 * 1024]))
					: suppressions.recordsFor(failure);
		}

	}

}
