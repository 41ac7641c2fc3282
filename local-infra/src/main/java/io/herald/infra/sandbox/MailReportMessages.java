package io.herald.infra.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Date;
import java.util.Properties;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

/**
 * Builds the reports {@link MailSandbox} sends: {@code multipart/report} messages with a
 * human-readable part, the machine-readable one ({@code message/delivery-status}, RFC
 * 3464, or {@code message/feedback-report}, RFC 5965) and the headers of the reported
 * message ({@code text/rfc822-headers}).
 */
final class MailReportMessages {

	/** The sandbox's name as reporting mail system. */
	static final String REPORTING_MTA = "sandbox.herald.invalid";

	private static final Session SESSION = Session.getInstance(new Properties());

	private MailReportMessages() {
	}

	/**
	 * The report of {@code kind} about {@code original} for {@code recipient}, addressed
	 * to {@code to}.
	 */
	static MimeMessage report(MailReport kind, MimeMessage original, String recipient, String to)
			throws MessagingException {
		MimeMessage report = new MimeMessage(SESSION);
		report.setFrom(new InternetAddress("Mail Delivery System <MAILER-DAEMON@" + REPORTING_MTA + ">"));
		report.setRecipients(jakarta.mail.Message.RecipientType.TO, to);
		report.setSentDate(new Date());
		report.setHeader("Auto-Submitted", "auto-replied");
		boolean complaint = kind == MailReport.COMPLAINT;
		report.setSubject(complaint ? "Abuse report" : (kind == MailReport.HARD_BOUNCE)
				? "Undelivered Mail Returned to Sender" : "Delayed Mail (still being retried)");
		MimeBodyPart human = new MimeBodyPart();
		human.setText(complaint ? "A recipient marked this message as spam.\n"
				: "Your message to <" + recipient + "> "
						+ ((kind == MailReport.HARD_BOUNCE) ? "could not be delivered: " : "is delayed: ")
						+ kind.diagnostic() + "\n",
				"UTF-8");
		String machine = complaint ? feedbackReport(original, recipient) : deliveryStatus(kind, recipient);
		MimeBodyPart machinePart = part(machine, complaint ? "message/feedback-report" : "message/delivery-status");
		MimeBodyPart headers = part(String.join("\r\n", Collections.list(original.getAllHeaderLines())) + "\r\n",
				"text/rfc822-headers");
		report.setContent(new Report(complaint ? "feedback-report" : "delivery-status", human, machinePart, headers));
		report.saveChanges();
		return report;
	}

	private static String deliveryStatus(MailReport kind, String recipient) {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now());
		return "Reporting-MTA: dns; " + REPORTING_MTA + "\r\nArrival-Date: " + date + "\r\n\r\n"
				+ "Final-Recipient: rfc822; " + recipient + "\r\nOriginal-Recipient: rfc822; " + recipient + "\r\n"
				+ "Action: " + kind.action() + "\r\nStatus: " + kind.status() + "\r\n" + "Remote-MTA: dns; mx."
				+ domain(recipient) + "\r\nDiagnostic-Code: smtp; " + kind.diagnostic() + "\r\nLast-Attempt-Date: "
				+ date + "\r\n";
	}

	private static String feedbackReport(MimeMessage original, String recipient) throws MessagingException {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now());
		String from = original.getHeader("Return-Path", null);
		return "Feedback-Type: abuse\r\nUser-Agent: HeraldSandboxFeedback/1.0\r\nVersion: 1\r\n"
				+ ((from != null) ? "Original-Mail-From: " + from + "\r\n" : "") + "Original-Rcpt-To: <" + recipient
				+ ">\r\nArrival-Date: " + date + "\r\nReporting-MTA: dns; " + REPORTING_MTA + "\r\n";
	}

	private static MimeBodyPart part(String content, String type) throws MessagingException {
		MimeBodyPart part = new MimeBodyPart();
		part.setDataHandler(
				new DataHandler(new ByteArrayDataSource(content.getBytes(StandardCharsets.US_ASCII), type)));
		part.setHeader("Content-Type", type);
		return part;
	}

	private static String domain(String address) {
		return address.substring(address.indexOf('@') + 1);
	}

	/** {@code multipart/report} with its {@code report-type}. */
	private static final class Report extends MimeMultipart {

		Report(String reportType, MimeBodyPart... parts) throws MessagingException {
			super("report", parts);
			ContentType type = new ContentType(this.contentType);
			type.setParameter("report-type", reportType);
			this.contentType = type.toString();
		}

	}

}
