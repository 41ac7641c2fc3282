package io.herald.infra.sandbox;

import java.util.List;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Drives {@link MailSandbox} with plain jakarta-mail, as any SMTP client would. */
class MailSandboxIntegrationTests {

	private MailSandbox sandbox;

	private Session session;

	@BeforeEach
	void startSandbox() {
		this.sandbox = MailSandbox.start();
		Properties properties = new Properties();
		properties.put("mail.smtp.host", this.sandbox.host());
		properties.put("mail.smtp.port", Integer.toString(this.sandbox.port()));
		this.session = Session.getInstance(properties);
	}

	@AfterEach
	void stopSandbox() {
		this.sandbox.close();
	}

	@Test
	void storesTextAndHtmlPartsWithTheMessageId() throws Exception {
		Transport.send(message("jane@example.com"));

		assertThat(this.sandbox.messages()).singleElement().satisfies((message) -> {
			assertThat(message.to()).containsExactly("jane@example.com");
			assertThat(message.subject()).isEqualTo("Your order shipped");
			assertThat(message.text()).isEqualTo("Order 981 is on its way");
			assertThat(message.html()).isEqualTo("<p>Order 981 is on its way</p>");
			assertThat(message.messageId()).startsWith("<");
			assertThat(message.headers()).containsEntry("X-Herald-Event-Id", "e-1");
		});
	}

	@Test
	void keepsEveryHeaderInTheOrderItArrivedWithFoldedLinesJoined() throws Exception {
		MimeMessage message = message("jane@example.com");
		String link = "https://notify.example.com/v1/unsubscribe/" + "a".repeat(120) + ".sig";
		message.setHeader("List-Unsubscribe", "<mailto:unsubscribe@herald.test>,\r\n <" + link + ">");
		message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
		message.setHeader("DKIM-Signature", "v=1; a=rsa-sha256; d=herald.test; s=s1;\r\n\th=from:to:subject; b=abc");
		Transport.send(message);

		MailMessage received = this.sandbox.messages().get(0);
		List<String> names = received.allHeaders().stream().map(MailMessage.Header::name).toList();
		assertThat(names)
			.containsSubsequence("From", "To", "Subject", "X-Herald-Event-Id", "List-Unsubscribe",
					"List-Unsubscribe-Post", "DKIM-Signature")
			.contains("Message-ID", "MIME-Version", "Content-Type");
		assertThat(received.header("list-unsubscribe")).isEqualTo("<mailto:unsubscribe@herald.test>, <" + link + ">");
		assertThat(received.header("DKIM-Signature"))
			.isEqualTo("v=1; a=rsa-sha256; d=herald.test; s=s1;\th=from:to:subject; b=abc");
		assertThat(received.header("Message-ID")).isEqualTo(received.messageId());
		assertThat(received.oneClickUnsubscribe()).isEqualTo(link);
	}

	@Test
	void aListUnsubscribeWithoutOneClickOffersNoOneClickLink() throws Exception {
		MimeMessage message = message("jane@example.com");
		message.setHeader("List-Unsubscribe", "<https://notify.example.com/v1/unsubscribe/t>");
		Transport.send(message);
		Transport.send(message("joe@example.com"));

		assertThat(this.sandbox.messages())
			.allSatisfy((received) -> assertThat(received.oneClickUnsubscribe()).isNull());
	}

	@Test
	void bouncingRecipientsAreRefusedPermanentlyAtRcpt() {
		this.sandbox.markBouncing("gone@example.com");

		assertThatExceptionOfType(SendFailedException.class)
			.isThrownBy(() -> Transport.send(message("gone@example.com")))
			.satisfies((ex) -> assertThat(ex.getNextException()).isInstanceOfSatisfying(
					SMTPAddressFailedException.class, (failed) -> assertThat(failed.getReturnCode()).isEqualTo(550)));
		assertThatExceptionOfType(SendFailedException.class)
			.isThrownBy(() -> Transport.send(message("anyone@" + MailSandbox.BOUNCE_DOMAIN)));
		assertThat(this.sandbox.messages()).isEmpty();
	}

	@Test
	void plannedFailuresAreTemporaryRefusalsThenMailFlowsAgain() throws Exception {
		this.sandbox.failNext(1, MailFailure.TEMPORARY);

		assertThatExceptionOfType(MessagingException.class)
			.isThrownBy(() -> Transport.send(message("jane@example.com")))
			.satisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(SMTPSendFailedException.class,
					(failed) -> assertThat(failed.getReturnCode()).isEqualTo(451)));
		Transport.send(message("jane@example.com"));
		assertThat(this.sandbox.messages()).hasSize(1);
	}

	@Test
	void resetForgetsMessagesButStillRefuses() throws Exception {
		Transport.send(message("jane@example.com"));
		this.sandbox.reset();
		assertThat(this.sandbox.messages()).isEmpty();

		assertThatExceptionOfType(SendFailedException.class)
			.isThrownBy(() -> Transport.send(message("x@" + MailSandbox.BOUNCE_DOMAIN)));
	}

	private MimeMessage message(String to) throws MessagingException {
		MimeMessage message = new MimeMessage(this.session);
		message.setFrom(new InternetAddress("no-reply@herald.test"));
		message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
		message.setSubject("Your order shipped");
		message.setHeader("X-Herald-Event-Id", "e-1");
		MimeMultipart alternative = new MimeMultipart("alternative");
		MimeBodyPart text = new MimeBodyPart();
		text.setText("Order 981 is on its way", "UTF-8");
		MimeBodyPart html = new MimeBodyPart();
		html.setContent("<p>Order 981 is on its way</p>", "text/html; charset=UTF-8");
		alternative.addBodyPart(text);
		alternative.addBodyPart(html);
		message.setContent(alternative);
		return message;
	}

}
