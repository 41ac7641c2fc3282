package io.herald.delivery.email;

import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.FailureCause;
import io.herald.delivery.provider.Provider;
import io.herald.delivery.provider.ProviderLimits;
import io.herald.delivery.provider.RejectionCause;
import io.herald.delivery.provider.Send;
import io.herald.delivery.receipt.ReceiptReferences;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import jakarta.mail.AuthenticationFailedException;
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
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.jspecify.annotations.Nullable;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Email through one SMTP relay with jakarta-mail, on threads of its own (SMTP blocks).
 * Connections are kept open for the next message, at most {@code maxInFlight} of them.
 *
 * <p>
 * Every message is {@code multipart/alternative} (text, and HTML when there is one), with
 * a {@code Message-ID} derived from the send's stable id, so a message sent again after a
 * crash has the same id and mailboxes show it once, {@code X-Herald-Event-Id} and
 * {@code X-Herald-Notification-Id} headers, and, unless the notification is critical,
 * {@code List-Unsubscribe} and {@code List-Unsubscribe-Post}
 * ({@link UnsubscribeHeaders}). With a bounce address, its envelope sender is the bounce
 * address in VERP form ({@link BounceAddress}), naming the send's receipt reference.
 *
 * <p>
 * The relay's answers, as outcomes:
 * <table>
 * <caption>SMTP replies</caption>
 * <tr>
 * <th>relay</th>
 * <th>outcome</th>
 * </tr>
 * <tr>
 * <td>250 after the data</td>
 * <td>{@code Sent(Message-ID)}</td>
 * </tr>
 * <tr>
 * <td>5xx at {@code RCPT TO} for the mailbox: enhanced status 5.1.x (no such mailbox or
 * domain, bad syntax; not 5.1.7 and 5.1.8, which are about the sender) or 5.2.1 (mailbox
 * disabled), or, without an enhanced status, 550, 551 or 553</td>
 * <td>{@code Rejected(INVALID_ADDRESS)}: the address is suppressed</td>
 * </tr>
 * <tr>
 * <td>5xx elsewhere (content refused, policy), and at {@code RCPT TO} for another reason
 * (relaying denied 5.7.1, mailbox full 5.2.2, ...): not the address's fault, so it is not
 * suppressed</td>
 * <td>{@code Rejected(REFUSED)}</td>
 * </tr>
 * <tr>
 * <td>4xx anywhere</td>
 * <td>{@code Failed(DEFERRED)}</td>
 * </tr>
 * <tr>
 * <td>authentication refused</td>
 * <td>{@code Failed(AUTH)}: another relay may take it</td>
 * </tr>
 * <tr>
 * <td>no connection, no answer</td>
 * <td>{@code Failed(UNAVAILABLE)} or {@code Failed(TIMEOUT)}</td>
 * </tr>
 * </table>
 */
final class SmtpEmailProvider implements Provider {

	/**
	 * A reply's enhanced status code, {@code 5.1.1} in {@code 550 5.1.1 User unknown}.
	 */
	private static final Pattern ENHANCED_STATUS = Pattern.compile("\\d{3}[ -]5\\.(\\d{1,3})\\.(\\d{1,3})\\b");

	private final SmtpProperties.Relay relay;

	private final Session session;

	private final InternetAddress from;

	private final UnsubscribeHeaders unsubscribe;

	private final BlockingQueue<Transport> idle;

	private final ExecutorService threads;

	private final @Nullable BounceAddress bounces;

	/**
	 * @param bounces the bounce address, or {@code null} to send with the {@code From}
	 * address as envelope sender
	 * @param unsubscribe the {@code List-Unsubscribe} headers of notifications that are
	 * not critical
	 */
	SmtpEmailProvider(SmtpProperties.Relay relay, @Nullable BounceAddress bounces, UnsubscribeHeaders unsubscribe) {
		this.relay = relay;
		this.bounces = bounces;
		this.unsubscribe = unsubscribe;
		this.threads = Provider.blockingCalls(relay.name());
		this.session = Session.getInstance(properties(relay));
		try {
			this.from = new InternetAddress(relay.from(), true);
		}
		catch (MessagingException ex) {
			throw new IllegalArgumentException("SMTP relay '" + relay.name() + "' has an invalid 'from' address '"
					+ relay.from() + "': " + ex.getMessage(), ex);
		}
		this.idle = new LinkedBlockingQueue<>(relay.maxInFlight());
	}

	private static Properties properties(SmtpProperties.Relay relay) {
		String protocol = (relay.security() == SmtpProperties.Security.SSL) ? "smtps" : "smtp";
		String timeout = Long.toString(relay.timeout().toMillis());
		Properties properties = new Properties();
		properties.put("mail.transport.protocol", protocol);
		properties.put("mail." + protocol + ".host", relay.host());
		properties.put("mail." + protocol + ".port", Integer.toString(relay.port()));
		properties.put("mail." + protocol + ".connectiontimeout", timeout);
		properties.put("mail." + protocol + ".timeout", timeout);
		properties.put("mail." + protocol + ".writetimeout", timeout);
		properties.put("mail." + protocol + ".auth", Boolean.toString(relay.username() != null));
		if (relay.security() == SmtpProperties.Security.STARTTLS) {
			properties.put("mail.smtp.starttls.enable", "true");
			properties.put("mail.smtp.starttls.required", "true");
		}
		if (relay.security() != SmtpProperties.Security.NONE) {
			properties.put("mail." + protocol + ".ssl.checkserveridentity", "true");
		}
		return properties;
	}

	@Override
	public String name() {
		return this.relay.name();
	}

	@Override
	public Channel channel() {
		return Channel.EMAIL;
	}

	@Override
	public ProviderLimits limits() {
		return new ProviderLimits(this.relay.maxInFlight(), this.relay.ratePerSecond());
	}

	@Override
	public boolean accepts(Send send) {
		return send.message() instanceof ChannelMessage.Email;
	}

	@Override
	public CompletableFuture<DeliveryOutcome> send(Send send) {
		return CompletableFuture.supplyAsync(() -> deliver(send), this.threads);
	}

	private DeliveryOutcome deliver(Send send) {
		MimeMessage message;
		try {
			message = message(send);
		}
		catch (MessagingException ex) {
			// An address or header the relay would never take.
			return new DeliveryOutcome.Rejected(RejectionCause.INVALID_ADDRESS, String.valueOf(ex.getMessage()));
		}
		Transport transport = null;
		try {
			transport = borrow();
			transport.sendMessage(message, message.getAllRecipients());
			giveBack(transport);
			return new DeliveryOutcome.Sent(messageId(send));
		}
		catch (MessagingException ex) {
			discard(transport);
			return classify(ex);
		}
		catch (RuntimeException ex) {
			discard(transport);
			return new DeliveryOutcome.Failed(FailureCause.UNAVAILABLE, null, this.relay.name() + ": " + ex);
		}
	}

	private MimeMessage message(Send send) throws MessagingException {
		ChannelMessage.Email email = (ChannelMessage.Email) send.message();
		DeliverNotification notification = send.notification();
		String messageId = messageId(send);
		SMTPMessage message = new SMTPMessage(this.session) {

			@Override
			protected void updateMessageID() throws MessagingException {
				setHeader("Message-ID", messageId);
			}

		};
		if (this.bounces != null) {
			message.setEnvelopeFrom(this.bounces.forReference(ReceiptReferences.of(send)));
		}
		message.setFrom(this.from);
		message.setRecipient(Message.RecipientType.TO, new InternetAddress(email.to(), true));
		message.setSubject(email.subject(), "UTF-8");
		message.setHeader("X-Herald-Event-Id", notification.eventId());
		message.setHeader("X-Herald-Notification-Id", notification.notificationId());
		this.unsubscribe.addTo(message, notification);
		MimeBodyPart text = new MimeBodyPart();
		text.setText(email.text(), "UTF-8");
		if (email.html() == null) {
			message.setContent(new MimeMultipart("alternative", text));
		}
		else {
			MimeBodyPart html = new MimeBodyPart();
			html.setContent(email.html(), "text/html; charset=UTF-8");
			message.setContent(new MimeMultipart("alternative", text, html));
		}
		message.saveChanges();
		return message;
	}

	/** {@code <stable-id@herald>}: the same for every try of a send. */
	static String messageId(Send send) {
		return "<" + send.stableId() + "@herald>";
	}

	private Transport borrow() throws MessagingException {
		Transport transport = this.idle.poll();
		if (transport != null && transport.isConnected()) {
			return transport;
		}
		if (transport == null) {
			transport = this.session.getTransport();
		}
		transport.connect(this.relay.host(), this.relay.port(), this.relay.username(), this.relay.password());
		return transport;
	}

	private void giveBack(Transport transport) {
		if (!this.idle.offer(transport)) {
			discard(transport);
		}
	}

	private static void discard(@Nullable Transport transport) {
		if (transport == null) {
			return;
		}
		try {
			transport.close();
		}
		catch (MessagingException ex) {
			// Already broken; nothing to release.
		}
	}

	/**
	 * Whether a permanent refusal at {@code RCPT TO} is about the mailbox itself (RFC
	 * 3463 enhanced status codes), so that the address is suppressed: a refusal for a
	 * reason of the relay's (relaying denied, the sender, a full mailbox) must not
	 * suppress every recipient it meets.
	 */
	static boolean isBadMailbox(int code, String reply) {
		Matcher enhanced = ENHANCED_STATUS.matcher(reply.strip());
		if (!enhanced.lookingAt()) {
			return code == 550 || code == 551 || code == 553;
		}
		return isBadMailbox(Integer.parseInt(enhanced.group(1)), Integer.parseInt(enhanced.group(2)));
	}

	/**
	 * Whether a permanent enhanced status {@code 5.<subject>.<detail>} (RFC 3463) is
	 * about the mailbox itself, so that the address is worth suppressing: 5.1.x but a
	 * problem with the sender (5.1.7, 5.1.8), or a disabled mailbox (5.2.1). A full
	 * mailbox (5.2.2) or a policy verdict (5.7.x) is not. The same rule for the SMTP
	 * answer and for a delivery status notification ({@link MailReports}).
	 */
	static boolean isBadMailbox(int subject, int detail) {
		return (subject == 1 && detail != 7 && detail != 8) || (subject == 2 && detail == 1);
	}

	static DeliveryOutcome classify(MessagingException ex) {
		String detail = String.valueOf(ex.getMessage());
		if (ex instanceof AuthenticationFailedException) {
			return new DeliveryOutcome.Failed(FailureCause.AUTH, null, detail);
		}
		for (Exception cause = ex; cause != null; cause = (cause instanceof MessagingException messaging)
				? messaging.getNextException() : null) {
			if (cause instanceof SMTPAddressFailedException address) {
				if (address.getReturnCode() < 500) {
					return new DeliveryOutcome.Failed(FailureCause.DEFERRED, null, address.getMessage());
				}
				return new DeliveryOutcome.Rejected(
						isBadMailbox(address.getReturnCode(), String.valueOf(address.getMessage()))
								? RejectionCause.INVALID_ADDRESS : RejectionCause.REFUSED,
						address.getMessage());
			}
			if (cause instanceof SMTPSendFailedException failed) {
				return (failed.getReturnCode() >= 500)
						? new DeliveryOutcome.Rejected(RejectionCause.REFUSED, failed.getMessage())
						: new DeliveryOutcome.Failed(FailureCause.DEFERRED, null, failed.getMessage());
			}
		}
		if (ex instanceof SendFailedException) {
			return new DeliveryOutcome.Rejected(RejectionCause.INVALID_ADDRESS, detail);
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException) {
				return new DeliveryOutcome.Failed(FailureCause.TIMEOUT, null, detail);
			}
			if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
				return new DeliveryOutcome.Failed(FailureCause.UNAVAILABLE, null, detail);
			}
		}
		String lower = detail.toLowerCase(java.util.Locale.ROOT);
		if (lower.startsWith("4") || lower.contains("[eof]")) {
			return new DeliveryOutcome.Failed(FailureCause.DEFERRED, null, detail);
		}
		return new DeliveryOutcome.Failed(FailureCause.UNAVAILABLE, null, detail);
	}

	@Override
	public void close() {
		this.threads.shutdownNow();
		Transport transport;
		while ((transport = this.idle.poll()) != null) {
			discard(transport);
		}
	}

}
