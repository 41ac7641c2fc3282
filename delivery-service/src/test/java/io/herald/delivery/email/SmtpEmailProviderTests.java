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
