package io.herald.delivery.email;

import io.herald.delivery.receipt.Receipt;
import io.herald.delivery.receipt.ReceiptOutcome;
import io.herald.delivery.receipt.ReceiptReason;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class MailReportsTests {

	private static final String REFERENCE = "0123456789abcdef0123456789abcdef";

	private static final BounceAddress BOUNCES = new BounceAddress("bounces@herald.example");

	@Test
	void aHardBounceFailsTheSendOfItsVerpAddress() throws Exception {
		List<Receipt> receipts = MailReports
			.read(mail(dsn("bounces+" + REFERENCE + "@herald.example", "failed", "5.1.1", "<x@elsewhere>")), BOUNCES);

		assertThat(receipts).singleElement().satisfies((receipt) -> {
			assertThat(receipt.reference()).isEqualTo(REFERENCE);
			assertThat(receipt.address()).isEqualTo("jane@example.com");
			assertThat(receipt.messageId()).isEqualTo("<x@elsewhere>");
			assertThat(receipt.outcome()).isInstanceOfSatisfying(ReceiptOutcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isEqualTo(ReceiptReason.BOUNCED));
			assertThat(receipt.outcome().permanentAddressFailure()).isTrue();
		});
	}

	@Test
	void aSoftBounceIsCountedOnly() throws Exception {
		List<Receipt> receipts = MailReports
			.read(mail(dsn("bounces+" + REFERENCE + "@herald.example", "delayed", "4.2.2", "<x@elsewhere>")), BOUNCES);

		assertThat(receipts).singleElement()
			.satisfies((receipt) -> assertThat(receipt.outcome()).isInstanceOf(ReceiptOutcome.Deferred.class));
		assertThat(MailReports.outcome("failed", "4.4.7", "expired")).isInstanceOf(ReceiptOutcome.Deferred.class);
		assertThat(MailReports.outcome("delivered", "2.0.0", "ok")).isInstanceOf(ReceiptOutcome.Delivered.class);
		assertThat(MailReports.outcome("relayed", "2.0.0", "ok")).isInstanceOf(ReceiptOutcome.InProgress.class);
	}

	@Test
	void onlyAFailureAboutTheMailboxIsAPermanentAddressFailure() {
		for (String mailbox : new String[] { "5.1.1", "5.1.10", "5.2.1" }) {
			ReceiptOutcome outcome = MailReports.outcome("failed", mailbox, "bounced");
			assertThat(outcome.reason()).as(mailbox).isEqualTo(ReceiptReason.BOUNCED);
			assertThat(outcome.permanentAddressFailure()).as(mailbox).isTrue();
		}
		// A policy or spam verdict, a full mailbox, the sender's problem, or no status:
		// the email failed, but the address is not to be suppressed.
		for (String other : new String[] { "5.7.1", "5.7.26", "5.2.2", "5.1.7", "5.1.8", "5.0.0", "null", "" }) {
			ReceiptOutcome outcome = MailReports.outcome("failed", other, "refused");
			assertThat(outcome).as(other).isInstanceOf(ReceiptOutcome.Failed.class);
			assertThat(outcome.reason()).as(other).isEqualTo(ReceiptReason.REFUSED);
			assertThat(outcome.permanentAddressFailure()).as(other).isFalse();
		}
	}

	@Test
	void aReportToAnotherAddressIsTracedByTheMessageIdItReturns() throws Exception {
		List<Receipt> receipts = MailReports.read(mail(
				dsn("postmaster@herald.example", "failed", "5.1.1", "<01234567-89ab-cdef-0123-456789abcdef@herald>")),
				BOUNCES);

		assertThat(receipts).singleElement().extracting(Receipt::reference).isEqualTo(REFERENCE);
	}

	@Test
	void aReturnedMessageIdLongerThanAHeaderLineOrNotPlainIsNotCarried() throws Exception {
		String huge = "<" + "x".repeat(100_000) + "@elsewhere>";
		List<Receipt> receipts = MailReports
			.read(mail(dsn("bounces+" + REFERENCE + "@herald.example", "failed", "5.1.1", huge)), BOUNCES);

		assertThat(receipts).singleElement().satisfies((receipt) -> {
			assertThat(receipt.reference()).isEqualTo(REFERENCE);
			assertThat(receipt.messageId()).isNull();
		});
		String longest = "<" + "x".repeat(986) + "@elsewhere>";
		assertThat(MailReports.messageId(" " + longest + " ")).isEqualTo(longest);
		assertThat(MailReports.messageId("<" + "x".repeat(987) + "@elsewhere>")).isNull();
		assertThat(MailReports.messageId("<a\u001b[31m@elsewhere>")).isNull();
		assertThat(MailReports.messageId("<a b@elsewhere>")).isNull();
		assertThat(MailReports.messageId(null)).isNull();
	}

	@Test
	void aReportThatNamesNoSendHasNoReference() throws Exception {
		List<Receipt> receipts = MailReports
			.read(mail(dsn("bounces+not-a-reference@herald.example", "failed", "5.1.1", "<x@elsewhere>")), BOUNCES);

		assertThat(receipts).singleElement().extracting(Receipt::reference).isEqualTo("");
	}

	@Test
	void anAbuseReportIsAComplaintThatDeliveredTheMessage() throws Exception {
		List<Receipt> receipts = MailReports.read(mail(arf("abuse")), BOUNCES);

		assertThat(receipts).singleElement().satisfies((receipt) -> {
			assertThat(receipt.reference()).isEqualTo(REFERENCE);
			assertThat(receipt.address()).isEqualTo("jane@example.com");
			assertThat(receipt.outcome()).isInstanceOf(ReceiptOutcome.Complained.class);
			assertThat(receipt.outcome().reason()).isEqualTo(ReceiptReason.COMPLAINED);
			assertThat(receipt.outcome().permanentAddressFailure()).isTrue();
		});
		assertThat(MailReports.read(mail(arf("not-spam")), BOUNCES)).singleElement()
			.satisfies((receipt) -> assertThat(receipt.outcome()).isInstanceOf(ReceiptOutcome.InProgress.class));
	}

	@Test
	void mailThatIsNoReportGivesNoReceipt() throws Exception {
		String autoReply = "From: jane@example.com\r\nTo: bounces+" + REFERENCE + "@herald.example\r\n"
				+ "Subject: Out of office\r\nContent-Type: text/plain\r\n\r\nBack on Monday.\r\n";
		String reportWithoutStatus = "To: bounces@herald.example\r\nContent-Type: multipart/report; "
				+ "report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n";

		assertThat(MailReports.read(mail(autoReply), BOUNCES)).isEmpty();
		assertThat(MailReports.read(mail(reportWithoutStatus), BOUNCES)).isEmpty();
	}

	@Test
	void bounceAddressesCarryTheReferenceAndNothingElse() {
		assertThat(BOUNCES.forReference(REFERENCE)).isEqualTo("bounces+" + REFERENCE + "@herald.example");
		assertThat(BOUNCES.reference("<Bounces+" + REFERENCE + "@Herald.Example>")).isEqualTo(REFERENCE);
		assertThat(BOUNCES.reference("bounces+" + REFERENCE + "@other.example")).isNull();
		assertThat(BOUNCES.reference("other+" + REFERENCE + "@herald.example")).isNull();
		assertThat(BOUNCES.reference("bounces+@herald.example")).isNull();
		assertThat(MailReports.address("rfc822; jane@example.com")).isEqualTo("jane@example.com");
		assertThat(MailReports.address("Jane <jane@example.com>")).isEqualTo("jane@example.com");
	}

	private static String dsn(String to, String action, String status, String originalMessageId) {
		return "From: MAILER-DAEMON@mx.example\r\nTo: " + to + "\r\nSubject: Undelivered Mail\r\n"
				+ "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
				+ "--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
				+ "--b1\r\nContent-Type: message/delivery-status\r\n\r\n" + "Reporting-MTA: dns; mx.example\r\n\r\n"
				+ "Final-Recipient: rfc822; jane@example.com\r\nAction: " + action + "\r\nStatus: " + status + "\r\n"
				+ "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
				+ "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n" + "Message-ID: " + originalMessageId
				+ "\r\nFrom: no-reply@herald.example\r\nSubject: Hi\r\n\r\n" + "--b1--\r\n";
	}

	private static String arf(String type) {
		return "From: fbl@mailbox.example\r\nTo: abuse@herald.example\r\nSubject: Abuse report\r\n"
				+ "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b2\"\r\n\r\n"
				+ "--b2\r\nContent-Type: text/plain\r\n\r\nThis is an abuse report.\r\n"
				+ "--b2\r\nContent-Type: message/feedback-report\r\n\r\n" + "Feedback-Type: " + type
				+ "\r\nUser-Agent: SomeFBL/1.0\r\nVersion: 1\r\n" + "Original-Rcpt-To: <jane@example.com>\r\n\r\n"
				+ "--b2\r\nContent-Type: message/rfc822\r\n\r\n" + "Return-Path: <bounces+" + REFERENCE
				+ "@herald.example>\r\n"
				+ "Message-ID: <01234567-89ab-cdef-0123-456789abcdef@herald>\r\nSubject: Hi\r\n\r\nHello\r\n"
				+ "--b2--\r\n";
	}

	private static MimeMessage mail(String raw) throws Exception {
		return new MimeMessage(Session.getInstance(new Properties()),
				new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
	}

}
