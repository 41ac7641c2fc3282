package io.herald.delivery.email;

import io.herald.delivery.DeliveryIntegrationTest;
import io.herald.delivery.Lanes;
import io.herald.delivery.receipt.PermanentAddressFailure;
import io.herald.delivery.receipt.PermanentFailureListener;
import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.infra.sandbox.MailReport;
import io.herald.infra.sandbox.MailReportSent;
import io.herald.infra.sandbox.MailSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.herald.delivery.Lanes.email;
import static io.herald.delivery.Lanes.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bounces and complaints end to end: the mail sandbox takes a message, then sends a DSN
 * or an ARF report to its VERP envelope sender, and the delivery service reads it from
 * the bounce mailbox over IMAP.
 */
@Import(EmailReceiptsIntegrationTests.Listener.class)
class EmailReceiptsIntegrationTests extends DeliveryIntegrationTest {

	private static final String BOUNCES = "bounces@herald.test";

	private static final String PASSWORD = "bounce-mailbox-secret";

	private static final MailSandbox mail = MailSandbox.start();

	private static final List<PermanentAddressFailure> permanentFailures = new CopyOnWriteArrayList<>();

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
	void aHardBounceFailsTheEmailAsBouncedAndIsAPermanentAddressFailure() {
		String address = this.user + "@" + MailSandbox.UNDELIVERABLE_DOMAIN;
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, email(address)));

		StatusReported failed = awaitState(DeliveryState.FAILED);
		assertThat(failed.reason()).isEqualTo("bounced");
		assertThat(failed.channel()).isEqualTo(Channel.EMAIL);
		MailReportSent report = reportTo(address);
		assertThat(report.to()).startsWith("bounces+").endsWith("@herald.test");
		assertThat(permanentFailures).anySatisfy((failure) -> {
			assertThat(failure.userId()).isEqualTo(this.user);
			assertThat(failure.address()).isEqualToIgnoringCase(address);
			assertThat(failure.reason().wireName()).isEqualTo("bounced");
		});
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(receipts("bounce-mailbox", "accepted")).isPositive());
	}

	@Test
	void aComplaintKeepsTheEmailDeliveredWithItsReason() {
		String address = this.user + "@" + MailSandbox.COMPLAINING_DOMAIN;
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, email(address)));

		StatusReported complained = awaitState(DeliveryState.DELIVERED);
		assertThat(complained.reason()).isEqualTo("complained");
		assertThat(Lanes.statuses(this.user)).extracting(StatusReported::state).doesNotContain(DeliveryState.FAILED);
		assertThat(permanentFailures).anySatisfy((failure) -> assertThat(failure.userId()).isEqualTo(this.user));
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
	}

	private static MailReportSent reportTo(String address) {
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(mail.reports()).anyMatch((report) -> report.recipient().equals(address)));
		return mail.reports().stream().filter((report) -> report.recipient().equals(address)).findFirst().orElseThrow();
	}

	/** Collects the permanent address failures the receipts report. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Listener {

		@Bean
		PermanentFailureListener collectingListener() {
			return permanentFailures::add;
		}

	}

}
