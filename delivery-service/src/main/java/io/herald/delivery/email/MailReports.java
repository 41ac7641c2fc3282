package io.herald.delivery.email;

import io.herald.delivery.receipt.Receipt;
import io.herald.delivery.receipt.ReceiptOutcome;
import io.herald.delivery.receipt.ReceiptReason;
import io.herald.delivery.receipt.ReceiptReferences;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the reports that come back to the bounce address: delivery status notifications
 * ({@code multipart/report; report-type=delivery-status}, RFC 3464) and complaints
 * ({@code report-type=feedback-report}, the ARF of RFC 5965).
 *
 * <p>
 * The send a report is about is found from the address it was sent to (the VERP bounce
 * address, in {@code To}, {@code Delivered-To} or {@code X-Original-To}), or else from
 * the {@code Message-ID} of the returned message's headers ({@code <uuid@herald>}, the
 * send's stable id). Per recipient of a DSN: {@code Action: failed} with a {@code 5.x.x}
 * status is a hard bounce ({@code failed}, {@code bounced}); any {@code 4.x.x} status (a
 * {@code delayed} DSN, a relay that gave up for now) is a soft bounce, counted only;
 * {@code delivered} delivers; {@code relayed} and {@code expanded} are steps on the way.
 * A feedback report of type {@code abuse}, {@code fraud}, {@code virus} or {@code other}
 * is a complaint; {@code not-spam} is counted only.
 */
final class MailReports {

	/** The most recipient blocks of one DSN read: a report is about one message. */
	private static final int MAX_RECIPIENTS = 50;

	private static final Pattern STATUS = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})");

	/** A {@code Message-ID} kept: visible ASCII, at most a header line (RFC 5322). */
	private static final Pattern MESSAGE_ID = Pattern.compile("[\\x21-\\x7e]{1,998}");

	private static final Pattern STABLE_MESSAGE_ID = Pattern
		.compile("<([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})@herald>");

	private MailReports() {
	}

	/**
	 * The receipts of one mail, or none when it is not a report (an auto-reply, spam). A
	 * report whose send cannot be found has the reference {@code ""}.
	 */
	static List<Receipt> read(Message mail, BounceAddress bounces) throws MessagingException, IOException {
		if (!mail.isMimeType("multipart/report") || !(mail.getContent() instanceof Multipart report)) {
			return List.of();
		}
		String reportType = String.valueOf(new ContentType(mail.getContentType()).getParameter("report-type"))
			.toLowerCase(Locale.ROOT);
		InternetHeaders original = null;
		Part machine = null;
		for (int i = 0; i < report.getCount(); i++) {
			BodyPart part = report.getBodyPart(i);
			if (part.isMimeType("message/delivery-status") || part.isMimeType("message/feedback-report")) {
				machine = (machine == null) ? part : machine;
			}
			else if (part.isMimeType("text/rfc822-headers") || part.isMimeType("message/rfc822")
					|| part.isMimeType("message/rfc822-headers")) {
				try (InputStream in = part.getInputStream()) {
					original = new InternetHeaders(in);
				}
			}
		}
		if (machine == null) {
			return List.of();
		}
		String reference = reference(mail, original, bounces);
		String messageId = (original != null) ? messageId(original.getHeader("Message-ID", null)) : null;
		try (InputStream in = machine.getInputStream()) {
			return switch (reportType) {
				case "delivery-status" -> deliveryStatus(in, reference, messageId);
				case "feedback-report" -> List.of(feedback(new InternetHeaders(in), reference, messageId));
				default -> List.of();
			};
		}
	}

	private static List<Receipt> deliveryStatus(InputStream in, String reference, @Nullable String messageId)
			throws MessagingException {
		// The per-message fields first, then one block per recipient.
		new InternetHeaders(in);
		List<Receipt> receipts = new ArrayList<>();
		while (receipts.size() < MAX_RECIPIENTS) {
			InternetHeaders recipient = new InternetHeaders(in);
			String action = recipient.getHeader("Action", null);
			if (action == null) {
				break;
			}
			String status = String.valueOf(recipient.getHeader("Status", null)).trim();
			String diagnostic = recipient.getHeader("Diagnostic-Code", null);
			String detail = action.trim() + " " + status + ((diagnostic != null) ? " (" + diagnostic.trim() + ")" : "");
			receipts.add(new Receipt(Receipt.BOUNCE_MAILBOX, reference, messageId,
					address(recipient.getHeader("Final-Recipient", null)), outcome(action, status, detail)));
		}
		return receipts;
	}

	/** What one recipient block of a DSN says. */
	static ReceiptOutcome outcome(String action, String status, String detail) {
		Matcher code = STATUS.matcher(status);
		String statusClass = code.lookingAt() ? code.group(1) : "";
		if (statusClass.equals("4")) {
			return new ReceiptOutcome.Deferred(detail);
		}
		boolean badMailbox = statusClass.equals("5")
				&& SmtpEmailProvider.isBadMailbox(Integer.parseInt(code.group(2)), Integer.parseInt(code.group(3)));
		return switch (action.trim().toLowerCase(Locale.ROOT)) {
			case "failed" ->
				new ReceiptOutcome.Failed(badMailbox ? ReceiptReason.BOUNCED : ReceiptReason.REFUSED, detail);
			case "delayed" -> new ReceiptOutcome.Deferred(detail);
			case "delivered" -> new ReceiptOutcome.Delivered();
			default -> new ReceiptOutcome.InProgress(action.trim().toLowerCase(Locale.ROOT));
		};
	}

	private static Receipt feedback(InternetHeaders report, String reference, @Nullable String messageId) {
		String type = String.valueOf(report.getHeader("Feedback-Type", null)).trim().toLowerCase(Locale.ROOT);
		String agent = report.getHeader("User-Agent", null);
		ReceiptOutcome outcome = switch (type) {
			case "abuse", "fraud", "virus", "other" ->
				new ReceiptOutcome.Complained("feedback " + type + ((agent != null) ? " from " + agent.trim() : ""));
			default -> new ReceiptOutcome.InProgress("feedback " + type);
		};
		return new Receipt(Receipt.BOUNCE_MAILBOX, reference, messageId,
				address(report.getHeader("Original-Rcpt-To", null)), outcome);
	}

	/**
	 * The send's reference: from the address the report went to, or from the returned
	 * message's {@code Message-ID}; {@code ""} when neither names one.
	 */
	private static String reference(Message mail, @Nullable InternetHeaders original, BounceAddress bounces)
			throws MessagingException {
		for (String header : List.of("Delivered-To", "X-Original-To", "To")) {
			String[] values = mail.getHeader(header);
			if (values != null) {
				for (String value : values) {
					for (String address : value.split(",")) {
						String reference = bounces.reference(address(address));
						if (reference != null) {
							return reference;
						}
					}
				}
			}
		}
		if (original != null) {
			String returnPath = original.getHeader("Return-Path", null);
			String reference = bounces.reference(address(returnPath));
			if (reference != null) {
				return reference;
			}
			String messageId = original.getHeader("Message-ID", null);
			Matcher stable = (messageId != null) ? STABLE_MESSAGE_ID.matcher(messageId.trim()) : null;
			if (stable != null && stable.matches()) {
				String candidate = stable.group(1) + stable.group(2) + stable.group(3) + stable.group(4)
						+ stable.group(5);
				return ReceiptReferences.isReference(candidate) ? candidate : "";
			}
		}
		return "";
	}

	/**
	 * The returned message's {@code Message-ID} as a receipt carries it into the status
	 * ({@code providerId}) and logs: {@code null} when it is longer than a header line or
	 * has anything but visible ASCII (a hostile report's).
	 */
	static @Nullable String messageId(@Nullable String header) {
		if (header == null) {
			return null;
		}
		String value = header.trim();
		return MESSAGE_ID.matcher(value).matches() ? value : null;
	}

	/**
	 * The address of a DSN or ARF field ({@code rfc822; jane@example.com},
	 * {@code <jane@example.com>}, {@code Jane <jane@example.com>}), or {@code null}.
	 */
	static @Nullable String address(@Nullable String field) {
		if (field == null) {
			return null;
		}
		String value = field.trim();
		int semicolon = value.indexOf(';');
		if (semicolon >= 0) {
			value = value.substring(semicolon + 1).trim();
		}
		int open = value.lastIndexOf('<');
		int close = value.lastIndexOf('>');
		if (open >= 0 && close > open) {
			value = value.substring(open + 1, close);
		}
		return (value.isEmpty() || value.length() > 320) ? null : value;
	}

}
