package io.herald.delivery.email;

import io.herald.delivery.receipt.Receipt;
import io.herald.delivery.receipt.ReceiptMetrics;
import io.herald.delivery.receipt.ReceiptRecorder;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the bounce mailbox over IMAP with jakarta-mail, every
 * {@link SmtpProperties.Mailbox#pollInterval()}: each mail is read as a report
 * ({@link MailReports}), its receipts recorded ({@link ReceiptRecorder}), and the mail
 * deleted once they are. A mail that could not be recorded because Redis or the broker
 * failed stays for the next reading, and so does everything after it; one that could not
 * be recorded for a reason of its own (a record the broker refuses) is tried again in the
 * next readings, then deleted and counted {@code unrecordable}
 * ({@link UnrecordedReports}), so that it holds up no later report. Nothing of a mail's
 * content is logged.
 *
 * <p>
 * Guarantee: every report is recorded at least once; recording one again is harmless (a
 * receipt of a kind recorded before writes nothing), so several instances may read the
 * same mailbox. Mail that is no report (an auto-reply, spam) is counted {@code malformed}
 * and deleted.
 */
class BounceMailbox implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(BounceMailbox.class);

	private final SmtpProperties.Mailbox mailbox;

	private final BounceAddress bounces;

	private final ReceiptRecorder recorder;

	private final ReceiptMetrics metrics;

	private final Session session;

	private final UnrecordedReports unrecorded = new UnrecordedReports();

	private volatile ScheduledExecutorService timer;

	BounceMailbox(SmtpProperties.Mailbox mailbox, BounceAddress bounces, ReceiptRecorder recorder,
			ReceiptMetrics metrics) {
		this.mailbox = mailbox;
		this.bounces = bounces;
		this.recorder = recorder;
		this.metrics = metrics;
		this.session = Session.getInstance(properties(mailbox));
	}

	private static Properties properties(SmtpProperties.Mailbox mailbox) {
		String protocol = (mailbox.security() == SmtpProperties.Security.SSL) ? "imaps" : "imap";
		String timeout = Long.toString(mailbox.timeout().toMillis());
		Properties properties = new Properties();
		properties.put("mail.store.protocol", protocol);
		properties.put("mail." + protocol + ".connectiontimeout", timeout);
		properties.put("mail." + protocol + ".timeout", timeout);
		properties.put("mail." + protocol + ".writetimeout", timeout);
		if (mailbox.security() == SmtpProperties.Security.STARTTLS) {
			properties.put("mail.imap.starttls.enable", "true");
			properties.put("mail.imap.starttls.required", "true");
		}
		if (mailbox.security() != SmtpProperties.Security.NONE) {
			properties.put("mail." + protocol + ".ssl.checkserveridentity", "true");
		}
		return properties;
	}

	@Override
	public void start() {
		ScheduledExecutorService started = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("herald-bounce-mailbox").daemon().factory());
		long interval = this.mailbox.pollInterval().toMillis();
		started.scheduleWithFixedDelay(this::pollQuietly, interval, interval, TimeUnit.MILLISECONDS);
		this.timer = started;
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.timer;
		if (running != null) {
			running.shutdownNow();
			this.timer = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.timer != null;
	}

	private void pollQuietly() {
		try {
			poll();
		}
		catch (MessagingException | RuntimeException ex) {
			logger.warn("Could not read the bounce mailbox {}@{}: {}", this.mailbox.username(), this.mailbox.host(),
					ex.toString());
		}
	}

	/**
	 * Reads the mailbox once: up to {@link SmtpProperties.Mailbox#maxMessages()} mails,
	 * oldest first.
	 * @return how many mails were handled and deleted
	 */
	int poll() throws MessagingException {
		try (Store store = this.session.getStore()) {
			store.connect(this.mailbox.host(), this.mailbox.port(), this.mailbox.username(), this.mailbox.password());
			Folder folder = store.getFolder(this.mailbox.folder());
			folder.open(Folder.READ_WRITE);
			int handled = 0;
			Set<String> seen = new HashSet<>();
			try {
				int count = Math.min(folder.getMessageCount(), this.mailbox.maxMessages());
				for (Message mail : (count > 0) ? folder.getMessages(1, count) : new Message[0]) {
					String identity = UnrecordedReports.identity(folder, mail);
					seen.add(identity);
					Handled outcome = handle(mail, identity);
					if (outcome == Handled.STOP) {
						break;
					}
					if (outcome == Handled.DONE) {
						mail.setFlag(Flags.Flag.DELETED, true);
						this.unrecorded.forget(identity);
						handled++;
					}
				}
			}
			finally {
				folder.close(true);
			}
			this.unrecorded.keepOnly(seen);
			return handled;
		}
	}

	/**
	 * Reads and records one mail. Nothing of its content is logged: it is anybody's.
	 */
	private Handled handle(Message mail, String identity) {
		List<Receipt> receipts;
		try {
			receipts = MailReports.read(mail, this.bounces);
		}
		catch (IOException | MessagingException | RuntimeException ex) {
			logger.info("Deleting an unreadable mail {} from the bounce mailbox ({})", identity,
					ex.getClass().getName());
			this.metrics.receipt(Receipt.BOUNCE_MAILBOX, "malformed");
			return Handled.DONE;
		}
		if (receipts.isEmpty()) {
			logger.info("Deleting a mail {} that is no report from the bounce mailbox", identity);
			this.metrics.receipt(Receipt.BOUNCE_MAILBOX, "malformed");
			return Handled.DONE;
		}
		try {
			for (Receipt receipt : receipts) {
				this.recorder.record(receipt);
			}
			return Handled.DONE;
		}
		catch (RuntimeException ex) {
			if (UnrecordedReports.infrastructure(ex)) {
				logger.warn("Could not record a report of the bounce mailbox, keeping it and the rest for later: {}",
						ex.toString());
				return Handled.STOP;
			}
			if (!this.unrecorded.failed(identity)) {
				logger.warn("Could not record the report {} of the bounce mailbox ({}), trying it again later",
						identity, ex.getClass().getName());
				return Handled.KEEP;
			}
			logger.warn("Deleting the report {} of the bounce mailbox, which could not be recorded in {} tries ({})",
					identity, UnrecordedReports.MAX_TRIES, ex.getClass().getName());
			this.metrics.receipt(Receipt.BOUNCE_MAILBOX, "unrecordable");
			return Handled.DONE;
		}
	}

	/** What becomes of a mail read. */
	private enum Handled {

		/** Handled, or never to be: deleted. */
		DONE,

		/** Not recorded for a reason of its own: kept for the next reading. */
		KEEP,

		/** Not recorded for Redis or the broker: kept, and so is every later mail. */
		STOP

	}

}
