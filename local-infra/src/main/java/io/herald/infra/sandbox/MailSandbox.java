package io.herald.infra.sandbox;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.jspecify.annotations.Nullable;

/**
 * A local SMTP relay: GreenMail on {@code 127.0.0.1}, accepting any sender and recipient
 * without authentication (credentials a client sends are accepted), and storing every
 * message. What it received is in {@link #messages()}, oldest first.
 *
 * <p>
 * It refuses the way real relays do, in the SMTP conversation itself:
 * <ul>
 * <li>{@code 550 5.1.1} at {@code RCPT TO} for recipients at {@value #BOUNCE_DOMAIN} or
 * marked with {@link #markBouncing(String)}: a permanent refusal;</li>
 * <li>a {@link MailFailure} (421, 451, 452) at {@code MAIL FROM} on demand,
 * {@link #failNext(int, MailFailure)} or {@link #failUntilCleared(MailFailure)}: a
 * temporary refusal; each message attempt consumes one planned failure;</li>
 * <li>no answer at all once {@link #close() closed}: the relay is down.</li>
 * </ul>
 * Thread-safe.
 */
public final class MailSandbox implements AutoCloseable {

	/** Recipients at this domain bounce ({@code 550 5.1.1}). */
	public static final String BOUNCE_DOMAIN = "bounce.invalid";

	/** An {@code http} or {@code https} link in angle brackets. */
	private static final Pattern WEB_LINK = Pattern.compile("<(https?://[^>\\s]+)>");

	private final Set<String> bouncing = ConcurrentHashMap.newKeySet();

	private final FailurePlan<MailFailure> failures = new FailurePlan<>();

	private final RefusingGreenMail greenMail;

	private MailSandbox(int port) {
		this.greenMail = new RefusingGreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		this.greenMail.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
		this.greenMail.start();
	}

	/**
	 * @return a running sandbox on a free port
	 */
	public static MailSandbox start() {
		return new MailSandbox(0);
	}

	/**
	 * @param port the port on {@code 127.0.0.1}, {@code 0} for a free one
	 * @return a running sandbox
	 */
	public static MailSandbox start(int port) {
		return new MailSandbox(port);
	}

	/**
	 * @return the host to connect to
	 */
	public String host() {
		return "127.0.0.1";
	}

	/**
	 * @return the SMTP port
	 */
	public int port() {
		return this.greenMail.getSmtp().getPort();
	}

	/** Makes every later message to {@code address} bounce with {@code 550 5.1.1}. */
	public void markBouncing(String address) {
		this.bouncing.add(address.toLowerCase(Locale.ROOT));
	}

	/** Refuses the next {@code count} message attempts with {@code kind}. */
	public void failNext(int count, MailFailure kind) {
		this.failures.failNext(count, kind);
	}

	/** Refuses every message attempt with {@code kind} until {@link #clearFailures()}. */
	public void failUntilCleared(MailFailure kind) {
		this.failures.failUntilCleared(kind);
	}

	/** Cancels planned failures; bouncing addresses keep bouncing. */
	public void clearFailures() {
		this.failures.clear();
	}

	/** Forgets messages, bouncing addresses and planned failures. */
	public void reset() {
		this.bouncing.clear();
		this.failures.clear();
		try {
			// GreenMail.reset() restarts the server with new managers, which would lose
			// the refusals.
			this.greenMail.purgeEmailFromAllMailboxes();
		}
		catch (com.icegreen.greenmail.store.FolderException ex) {
			throw new IllegalStateException("Could not purge the stored messages: " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return a snapshot of the accepted messages, oldest first
	 */
	public List<MailMessage> messages() {
		List<MailMessage> messages = new ArrayList<>();
		for (MimeMessage message : this.greenMail.getReceivedMessages()) {
			messages.add(toRecord(message));
		}
		return messages;
	}

	@Override
	public void close() {
		this.greenMail.stop();
	}

	private static MailMessage toRecord(MimeMessage message) {
		try {
			Parts parts = new Parts();
			parts.collect(message);
			List<String> to = new ArrayList<>();
			Address[] recipients = message.getRecipients(Message.RecipientType.TO);
			if (recipients != null) {
				Arrays.stream(recipients).map(Address::toString).forEach(to::add);
			}
			Address[] from = message.getFrom();
			Map<String, String> headers = new LinkedHashMap<>();
			for (String name : List.of("X-Herald-Event-Id", "X-Herald-Notification-Id")) {
				String value = message.getHeader(name, null);
				if (value != null) {
					headers.put(name, value);
				}
			}
			Instant received = (message.getReceivedDate() != null) ? message.getReceivedDate().toInstant()
					: Instant.now();
			List<MailMessage.Header> all = allHeaders(message);
			return new MailMessage(message.getMessageID(),
					(from != null && from.length > 0) ? from[0].toString() : null, to, message.getSubject(), parts.text,
					parts.html, headers, received, all, oneClickUnsubscribe(all));
		}
		catch (MessagingException | IOException ex) {
			throw new IllegalStateException("Could not read a stored message: " + ex.getMessage(), ex);
		}
	}

	private static List<MailMessage.Header> allHeaders(MimeMessage message) throws MessagingException {
		List<MailMessage.Header> headers = new ArrayList<>();
		Enumeration<Header> all = message.getAllHeaders();
		while (all.hasMoreElements()) {
			Header header = all.nextElement();
			headers.add(new MailMessage.Header(header.getName(), MimeUtility.unfold(header.getValue()).strip()));
		}
		return headers;
	}

	/**
	 * The web link of {@code List-Unsubscribe} (RFC 2369: links in angle brackets, comma
	 * separated) if {@code List-Unsubscribe-Post} offers one-click unsubscription (RFC
	 * 8058).
	 */
	static @Nullable String oneClickUnsubscribe(List<MailMessage.Header> headers) {
		String links = null;
		boolean oneClick = false;
		for (MailMessage.Header header : headers) {
			if (header.name().equalsIgnoreCase("List-Unsubscribe") && links == null) {
				links = header.value();
			}
			else if (header.name().equalsIgnoreCase("List-Unsubscribe-Post")) {
				oneClick |= header.value().equals("List-Unsubscribe=One-Click");
			}
		}
		if (links == null || !oneClick) {
			return null;
		}
		Matcher link = WEB_LINK.matcher(links);
		return link.find() ? link.group(1) : null;
	}

	/** The first text and HTML parts of a message, however deeply nested. */
	private static final class Parts {

		private @Nullable String text;

		private @Nullable String html;

		void collect(Part part) throws MessagingException, IOException {
			if (part.isMimeType("text/plain") && this.text == null) {
				this.text = String.valueOf(part.getContent());
			}
			else if (part.isMimeType("text/html") && this.html == null) {
				this.html = String.valueOf(part.getContent());
			}
			else if (part.isMimeType("multipart/*")) {
				Multipart multipart = (Multipart) part.getContent();
				for (int i = 0; i < multipart.getCount(); i++) {
					BodyPart child = multipart.getBodyPart(i);
					collect(child);
				}
			}
		}

	}

	/** GreenMail whose SMTP manager refuses what the sandbox is told to refuse. */
	private final class RefusingGreenMail extends GreenMail {

		RefusingGreenMail(ServerSetup setup) {
			super(setup);
			this.managers = new RefusingManagers();
		}

	}

	private final class RefusingManagers extends Managers {

		private final SmtpManager smtp = new RefusingSmtpManager(this);

		@Override
		public SmtpManager getSmtpManager() {
			return this.smtp;
		}

	}

	private final class RefusingSmtpManager extends SmtpManager {

		RefusingSmtpManager(Managers managers) {
			super(managers.getImapHostManager(), managers.getUserManager());
		}

		@Override
		public String checkSender(SmtpState state, MailAddress sender) {
			return MailSandbox.this.failures.take().map(MailFailure::reply).orElse(null);
		}

		@Override
		public String checkRecipient(SmtpState state, MailAddress recipient) {
			String address = recipient.getEmail().toLowerCase(Locale.ROOT);
			if (address.endsWith("@" + BOUNCE_DOMAIN) || MailSandbox.this.bouncing.contains(address)) {
				return "550 5.1.1 <" + recipient.getEmail() + ">: Recipient address rejected: User unknown";
			}
			return null;
		}

	}

}
