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
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the bounce mailbox over IMAP with jakarta-mail, every
 * {@link SmtpProperties.Mailbox#pollInterval()}: each mail is read as a report
 * ({@link MailReports}), its receipts recorded ({@link ReceiptRecorder}), and the mail
 * deleted once they are. A mail that could not be recorded (Redis or the broker down)
 * stays for the next reading, and so does everything after it.
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
			try {
				int count = Math.min(folder.getMessageCount(), this.mailbox.maxMessages());
				for (Message mail : (count > 0) ? folder.getMessages(1, count) : new Message[0]) {
					if (!handle(mail)) {
						break;
					}
					mail.setFlag(Flags.Flag.DELETED, true);
					handled++;
				}
			}
			finally {
				folder.close(true);
			}
			return handled;
		}
	}

	/**
	 * @return whether the mail was handled and can go
	 */
	private boolean handle(Message mail) throws MessagingException {
		List<Receipt> receipts;
		try {
			receipts = MailReports.read(mail, this.bounces);
		}
		catch (IOException | MessagingException | RuntimeException ex) {
			logger.info("Deleting an unreadable mail from the bounce mailbox: {}", ex.toString());
			this.metrics.receipt(Receipt.BOUNCE_MAILBOX, "malformed");
			return true;
		}
		if (receipts.isEmpty()) {
			logger.info("Deleting a mail that is no report from the bounce mailbox: {}", mail.getSubject());
			this.metrics.receipt(Receipt.BOUNCE_MAILBOX, "malformed");
			return true;
		}
		try {
			for (Receipt receipt : receipts) {
				this.recorder.record(receipt);
			}
			return true;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record a report of the bounce mailbox, keeping it for later: {}", ex.toString());
			return false;
		}
	}

}
