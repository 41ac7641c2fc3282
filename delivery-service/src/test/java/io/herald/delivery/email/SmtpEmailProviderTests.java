package io.herald.delivery.email;

import io.herald.delivery.provider.DeliveryOutcome;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpEmailProviderTests {

	@Test
	void aPermanentRecipientRefusalIsABadAddress() throws Exception {
		SendFailedException refused = new SendFailedException("Invalid Addresses", new SMTPAddressFailedException(
				new InternetAddress("gone@example.com"), "RCPT TO:<gone@example.com>", 550, "550 5.1.1 User unknown"));
		assertThat(SmtpEmailProvider.classify(refused)).isInstanceOfSatisfying(DeliveryOutcome.Rejected.class,
				(rejected) -> assertThat(rejected.reason()).isEqualTo("bad_address"));
	}

	@Test
	void onlyARefusalOfTheMailboxItselfIsABadAddress() throws Exception {
		assertThat(reasonAtRcpt(550, "550 5.1.1 <x>: Recipient address rejected: User unknown"))
			.isEqualTo("bad_address");
		assertThat(reasonAtRcpt(550, "550-5.1.10 RESOLVER.ADR.RecipientNotFound; null MX")).isEqualTo("bad_address");
		assertThat(reasonAtRcpt(550, "550 5.2.1 Mailbox disabled")).isEqualTo("bad_address");
		assertThat(reasonAtRcpt(553, "553 mailbox name not allowed")).isEqualTo("bad_address");
		// The relay's policy, the sender, a full mailbox: no fault of the address.
		assertThat(reasonAtRcpt(550, "550 5.7.1 Relaying denied")).isEqualTo("rejected");
		assertThat(reasonAtRcpt(553, "553 5.1.8 Sender domain does not exist")).isEqualTo("rejected");
		assertThat(reasonAtRcpt(552, "552 5.2.2 Mailbox full")).isEqualTo("rejected");
		assertThat(reasonAtRcpt(554, "554 Transaction failed")).isEqualTo("rejected");
	}

	private static String reasonAtRcpt(int code, String reply) throws Exception {
		DeliveryOutcome outcome = SmtpEmailProvider
			.classify(new SendFailedException("Invalid Addresses", new SMTPAddressFailedException(
					new InternetAddress("x@example.com"), "RCPT TO:<x@example.com>", code, reply)));
		assertThat(outcome).isInstanceOf(DeliveryOutcome.Rejected.class);
		return ((DeliveryOutcome.Rejected) outcome).reason();
	}

	@Test
	void aTemporaryRecipientRefusalIsDeferred() throws Exception {
		SendFailedException deferred = new SendFailedException("Invalid Addresses", new SMTPAddressFailedException(
				new InternetAddress("busy@example.com"), "RCPT TO:<busy@example.com>", 452, "452 4.2.2 Mailbox full"));
		assertThat(SmtpEmailProvider.classify(deferred)).isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
				(failed) -> assertThat(failed.reason()).isEqualTo("deferred"));
	}

	@Test
	void aRefusedMessageIsRejectedAndATemporaryRefusalDeferred() {
		assertThat(SmtpEmailProvider
			.classify(new SMTPSendFailedException("DATA", 554, "554 5.7.1 Spam", null, null, null, null)))
			.isInstanceOfSatisfying(DeliveryOutcome.Rejected.class,
					(rejected) -> assertThat(rejected.reason()).isEqualTo("rejected"));
		assertThat(SmtpEmailProvider
			.classify(new SMTPSendFailedException("MAIL", 451, "451 4.3.0 Try later", null, null, null, null)))
			.isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isEqualTo("deferred"));
	}

	@Test
	void anUnreachableOrSilentRelayIsUnavailableOrTimedOut() {
		assertThat(SmtpEmailProvider.classify(new MessagingException("connect", new ConnectException("refused"))))
			.isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isEqualTo("unavailable"));
		assertThat(SmtpEmailProvider.classify(new MessagingException("read", new SocketTimeoutException("timed out"))))
			.isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isEqualTo("timeout"));
	}

	@Test
	void refusedCredentialsLetAnotherRelayTry() {
		assertThat(SmtpEmailProvider.classify(new AuthenticationFailedException("535 5.7.8 bad credentials")))
			.isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isEqualTo("auth"));
	}

}
