package io.herald.infra.sandbox;

import java.io.IOException;
import java.time.Duration;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>
 * It also reports later, the way the receiving mail system does after it took a message:
 * after {@link #reportDelay(Duration)} it sends a {@link MailReport} (a DSN for a hard or
 * soft bounce, an ARF report for a complaint) to the message's envelope sender, for
 * recipients at {@value #UNDELIVERABLE_DOMAIN} (a hard bounce), at
 * {@value #COMPLAINING_DOMAIN} (a complaint), marked with
 * {@link #markReporting(String, MailReport)}, or on demand,
 * {@link #reportNext(int, MailReport)} and {@link #reportUntilCleared(MailReport)}. The
 * report lands in the envelope sender's mailbox here, a detail after {@code +} ignored
 * ({@code bounces+x@example.com} is {@code bounces@example.com}'s mailbox, as most mail
 * servers do), which a client reads over IMAP ({@link #imapPort()}, logging in with the
 * address and the password given to {@link #mailbox(String, String)}). Reports sent are
 * in {@link #reports()}; {@link #messages()} leaves them out.
 *
 * <p>
 * Thread-safe.
 */
public final class MailSandbox implements AutoCloseable {

	/** Recipients at this domain bounce ({@code 550 5.1.1}). */
	public static final String BOUNCE_DOMAIN = "bounce.invalid";

	/**
	 * Messages to recipients at this domain are taken, then bounced with a DSN
	 * ({@link MailReport#HARD_BOUNCE}).
	 */
	public static final String UNDELIVERABLE_DOMAIN = "undeliverable.invalid";

	/**
	 * Messages to recipients at this domain are taken, then complained about
	 * ({@link MailReport#COMPLAINT}).
	 */
	public static final String COMPLAINING_DOMAIN = "complaining.invalid";

	/** How long after a message its report comes, unless set. */
	public static final Duration DEFAULT_REPORT_DELAY = Duration.ofMillis(200);

	private static final Logger logger = LoggerFactory.getLogger(MailSandbox.class);

	/** An {@code http} or {@code https} link in angle brackets. */
	private static final Pattern WEB_LINK = Pattern.compile("<(https?://[^>\\s]+)>");

	private final Set<String> bouncing = ConcurrentHashMap.newKeySet();

	private final FailurePlan<MailFailure> failures = new FailurePlan<>();

	private final Map<String, MailReport> reporting = new ConcurrentHashMap<>();

	private final FailurePlan<MailReport> plannedReports = new FailurePlan<>();

	private final List<MailReportSent> reports = new CopyOnWriteArrayList<>();

	private volatile Duration reportDelay = DEFAULT_REPORT_DELAY;

	private final ScheduledExecutorService reportTimer = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("mail-sandbox-reports").daemon().factory());

	private final RefusingGreenMail greenMail;

	private MailSandbox(int port) {
		this.greenMail = new RefusingGreenMail(
				new ServerSetup[] { new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
						new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP) });
		this.greenMail
			.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication().withSieveIgnoreDetail());
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

	/**
	 * @return the IMAP port, where the mailboxes that receive reports are read
	 */
	public int imapPort() {
		return this.greenMail.getImap().getPort();
	}

	/**
	 * Creates a mailbox (a bounce mailbox, say) that logs in over IMAP with its address
	 * and {@code password}.
	 */
	public void mailbox(String address, String password) {
		this.greenMail.setUser(address, address, password);
	}

	/** Reports every later message to {@code address} with {@code kind}. */
	public void markReporting(String address, MailReport kind) {
		this.reporting.put(address.toLowerCase(Locale.ROOT), kind);
	}

	/** Reports the next {@code count} recipients taken with {@code kind}. */
	public void reportNext(int count, MailReport kind) {
		this.plannedReports.failNext(count, kind);
	}

	/** Reports every recipient taken with {@code kind} until {@link #clearFailures()}. */
	public void reportUntilCleared(MailReport kind) {
		this.plannedReports.failUntilCleared(kind);
	}

	/** Sets how long after a message its report comes. */
	public void reportDelay(Duration delay) {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative, but was " + delay);
		}
		this.reportDelay = delay;
	}

	/**
	 * @return a snapshot of the reports sent back, oldest first
	 */
	public List<MailReportSent> reports() {
		return List.copyOf(this.reports);
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

	/**
	 * Cancels planned failures and reports; bouncing and reporting addresses keep doing
	 * so.
	 */
	public void clearFailures() {
		this.failures.clear();
		this.plannedReports.clear();
	}

	/** Forgets messages, reports, marked addresses and planned failures. */
	public void reset() {
		this.bouncing.clear();
		this.reporting.clear();
		this.reports.clear();
		clearFailures();
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
			if (!isReport(message)) {
				messages.add(toRecord(message));
			}
		}
		return messages;
	}

	@Override
	public void close() {
		this.reportTimer.shutdownNow();
		this.greenMail.stop();
	}

	private static boolean isReport(MimeMessage message) {
		try {
			return message.isMimeType("multipart/report");
		}
		catch (MessagingException ex) {
			return false;
		}
	}

	/**
	 * The reports due for a message about to be stored; hard-bounced recipients are taken
	 * off it.
	 */
	private void planReports(MovingMessage message) {
		MailAddress sender = message.getReturnPath();
		for (MailAddress recipient : List.copyOf(message.getToAddresses())) {
			String address = recipient.getEmail().toLowerCase(Locale.ROOT);
			MailReport kind = this.reporting.get(address);
			if (kind == null && address.endsWith("@" + UNDELIVERABLE_DOMAIN)) {
				kind = MailReport.HARD_BOUNCE;
			}
			if (kind == null && address.endsWith("@" + COMPLAINING_DOMAIN)) {
				kind = MailReport.COMPLAINT;
			}
			if (kind == null) {
				kind = this.plannedReports.take().orElse(null);
			}
			if (kind == null || sender == null || sender.getEmail().isEmpty()) {
				// A message with a null sender (a report itself) is never reported on.
				continue;
			}
			if (kind == MailReport.HARD_BOUNCE) {
				message.removeRecipient(recipient);
			}
			MailReport report = kind;
			MimeMessage original = message.getMessage();
			this.reportTimer.schedule(() -> sendReport(report, original, recipient.getEmail(), sender.getEmail()),
					this.reportDelay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void sendReport(MailReport kind, MimeMessage original, String recipient, String sender) {
		try {
			MimeMessage report = MailReportMessages.report(kind, original, recipient, sender);
			MovingMessage moving = new MovingMessage();
			moving.setMimeMessage(report);
			MailAddress to = new MailAddress(sender);
			moving.addRecipient(to);
			this.greenMail.getUserManager().deliver(moving, to);
			this.reports.add(new MailReportSent(kind, sender, recipient, original.getMessageID(), Instant.now()));
		}
		catch (MessagingException | com.icegreen.greenmail.user.UserException | RuntimeException ex) {
			logger.warn("Could not send a {} report to {}: {}", kind, sender, ex.toString());
		}
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

		RefusingGreenMail(ServerSetup[] setups) {
			super(setups);
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
		public synchronized void send(SmtpState state) {
			planReports(state.getMessage());
			super.send(state);
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
