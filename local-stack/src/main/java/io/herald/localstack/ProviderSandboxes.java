package io.herald.localstack;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.herald.infra.sandbox.ApnsFailure;
import io.herald.infra.sandbox.ApnsNotification;
import io.herald.infra.sandbox.ApnsSandbox;
import io.herald.infra.sandbox.FcmFailure;
import io.herald.infra.sandbox.FcmMessage;
import io.herald.infra.sandbox.FcmSandbox;
import io.herald.infra.sandbox.MailFailure;
import io.herald.infra.sandbox.MailMessage;
import io.herald.infra.sandbox.MailSandbox;
import io.herald.infra.sandbox.TwilioFailure;
import io.herald.infra.sandbox.TwilioMessage;
import io.herald.infra.sandbox.TwilioSandbox;
import org.jspecify.annotations.Nullable;

/**
 * The local providers the delivery service talks to on one machine: an SMTP relay,
 * Twilio's Messages API, APNs and FCM, each a real server of its protocol on a free
 * loopback port, and the page that shows what they received.
 *
 * <p>
 * {@link #deliveryEnvironment()} points the delivery service at them through its ordinary
 * provider settings: the SDKs talk to these servers exactly as they would to the
 * providers.
 */
public final class ProviderSandboxes implements AutoCloseable {

	/** The sender of every email in the local stack. */
	static final String MAIL_FROM = "Herald <no-reply@herald.local>";

	/**
	 * The bounce address of every email in the local stack: messages go out with its VERP
	 * form as envelope sender, and the sandbox's reports land in its mailbox.
	 */
	static final String BOUNCE_ADDRESS = "bounces@herald.local";

	/** The bounce mailbox's IMAP password (a local sandbox's). */
	static final String BOUNCE_PASSWORD = "sandbox-bounces";

	/** The sending number of every SMS in the local stack (a Twilio test number). */
	static final String SMS_FROM = "+15005550006";

	/** The bundle id iOS notifications go to when a device names no app. */
	static final String APNS_TOPIC = "io.herald.demo";

	/** The Firebase project of the local FCM. */
	static final String FCM_PROJECT = "herald-local";

	private final MailSandbox mail;

	private final TwilioSandbox twilio;

	private final ApnsSandbox apns;

	private final FcmSandbox fcm;

	private final List<Path> apnsFiles;

	private final SandboxPage page;

	/**
	 * Starts every sandbox and the page.
	 * @param pagePort the page's port, {@code 0} for a free one
	 * @param directory where the APNs certificate and signing key are written for the
	 * delivery service
	 */
	ProviderSandboxes(int pagePort, Path directory) {
		this.mail = MailSandbox.start();
		this.twilio = TwilioSandbox.start();
		this.apns = ApnsSandbox.start();
		this.fcm = FcmSandbox.start();
		this.apnsFiles = this.apns.writeFiles(directory);
		this.mail.mailbox(BOUNCE_ADDRESS, BOUNCE_PASSWORD);
		Map<String, Supplier<List<?>>> sources = new LinkedHashMap<>();
		sources.put("email", this.mail::messages);
		sources.put("email-reports", this.mail::reports);
		sources.put("sms", this.twilio::messages);
		sources.put("sms-callbacks", this.twilio::callbacks);
		sources.put("apns", this.apns::notifications);
		sources.put("fcm", this.fcm::messages);
		this.page = new SandboxPage(pagePort, sources);
	}

	/** The page that shows what the sandboxes received. */
	public String url() {
		return this.page.url();
	}

	/**
	 * What every sandbox received, by {@code email}, {@code sms}, {@code apns} and
	 * {@code fcm}, and the receipts they sent back, {@code email-reports} (bounces and
	 * complaints) and {@code sms-callbacks} (Twilio status callbacks).
	 */
	public Map<String, List<?>> messages() {
		return this.page.messages();
	}

	/**
	 * When the first message any sandbox accepted after {@code since} arrived.
	 * @return that instant, or {@code null} if none arrived after it
	 */
	public @Nullable Instant firstReceiptAfter(Instant since) {
		Stream<Instant> receipts = Stream
			.of(this.mail.messages().stream().map(MailMessage::receivedAt),
					this.twilio.messages().stream().map(TwilioMessage::dateCreated),
					this.apns.notifications().stream().map(ApnsNotification::receivedAt),
					this.fcm.messages().stream().map(FcmMessage::receivedAt))
			.flatMap((each) -> each);
		return receipts.filter((receipt) -> receipt.isAfter(since)).min(Comparator.naturalOrder()).orElse(null);
	}

	/**
	 * Makes every sandbox answer every send with a temporary error, as a provider outage
	 * does: SMTP 421, Twilio 503, APNs 503 and FCM 503, until {@link #clearFailures()}.
	 */
	public void failTemporarily() {
		this.mail.failUntilCleared(MailFailure.SERVICE_UNAVAILABLE);
		this.twilio.failUntilCleared(TwilioFailure.SERVICE_UNAVAILABLE);
		this.apns.failUntilCleared(ApnsFailure.SERVICE_UNAVAILABLE);
		this.fcm.failUntilCleared(FcmFailure.UNAVAILABLE);
	}

	/** Ends {@link #failTemporarily()}: the sandboxes accept sends again. */
	public void clearFailures() {
		this.mail.clearFailures();
		this.twilio.clearFailures();
		this.apns.clearFailures();
		this.fcm.clearFailures();
	}

	/**
	 * The delivery service's provider settings for these sandboxes, with receipts: Twilio
	 * calls back at {@code publicBaseUrl}, bounces and complaints come back to the bounce
	 * mailbox.
	 * @param publicBaseUrl the delivery service's URL
	 */
	Map<String, String> deliveryEnvironment(String publicBaseUrl) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("HERALD_DELIVERY_RECEIPTS_PUBLICBASEURL", publicBaseUrl);
		env.put("HERALD_DELIVERY_SMTP_BOUNCES_ADDRESS", BOUNCE_ADDRESS);
		env.put("HERALD_DELIVERY_SMTP_BOUNCES_MAILBOX_HOST", this.mail.host());
		env.put("HERALD_DELIVERY_SMTP_BOUNCES_MAILBOX_PORT", Integer.toString(this.mail.imapPort()));
		env.put("HERALD_DELIVERY_SMTP_BOUNCES_MAILBOX_SECURITY", "none");
		env.put("HERALD_DELIVERY_SMTP_BOUNCES_MAILBOX_USERNAME", BOUNCE_ADDRESS);
		env.put("HERALD_DELIVERY_SMTP_BOUNCES_MAILBOX_PASSWORD", BOUNCE_PASSWORD);
		env.put("HERALD_DELIVERY_SMTP_BOUNCES_MAILBOX_POLLINTERVAL", "1s");
		env.put("HERALD_DELIVERY_SMTP_PROVIDERS_0_NAME", "smtp-sandbox");
		env.put("HERALD_DELIVERY_SMTP_PROVIDERS_0_HOST", this.mail.host());
		env.put("HERALD_DELIVERY_SMTP_PROVIDERS_0_PORT", Integer.toString(this.mail.port()));
		env.put("HERALD_DELIVERY_SMTP_PROVIDERS_0_SECURITY", "none");
		env.put("HERALD_DELIVERY_SMTP_PROVIDERS_0_FROM", MAIL_FROM);
		env.put("HERALD_DELIVERY_TWILIO_PROVIDERS_0_NAME", "twilio-sandbox");
		env.put("HERALD_DELIVERY_TWILIO_PROVIDERS_0_ACCOUNTSID", this.twilio.accountSid());
		env.put("HERALD_DELIVERY_TWILIO_PROVIDERS_0_AUTHTOKEN", TwilioSandbox.DEFAULT_AUTH_TOKEN);
		env.put("HERALD_DELIVERY_TWILIO_PROVIDERS_0_FROM", SMS_FROM);
		env.put("HERALD_DELIVERY_TWILIO_PROVIDERS_0_BASEURL", this.twilio.baseUrl());
		env.put("HERALD_DELIVERY_APNS_PROVIDERS_0_NAME", "apns-sandbox");
		env.put("HERALD_DELIVERY_APNS_PROVIDERS_0_HOST", this.apns.host());
		env.put("HERALD_DELIVERY_APNS_PROVIDERS_0_PORT", Integer.toString(this.apns.port()));
		env.put("HERALD_DELIVERY_APNS_PROVIDERS_0_TOPIC", APNS_TOPIC);
		env.put("HERALD_DELIVERY_APNS_PROVIDERS_0_TRUSTEDSERVERCERTIFICATE", this.apnsFiles.get(0).toString());
		env.put("HERALD_DELIVERY_APNS_PROVIDERS_0_SIGNINGKEY", this.apnsFiles.get(1).toString());
		env.put("HERALD_DELIVERY_APNS_PROVIDERS_0_TEAMID", ApnsSandbox.TEAM_ID);
		env.put("HERALD_DELIVERY_APNS_PROVIDERS_0_KEYID", ApnsSandbox.KEY_ID);
		env.put("HERALD_DELIVERY_FCM_PROVIDERS_0_NAME", "fcm-sandbox");
		env.put("HERALD_DELIVERY_FCM_PROVIDERS_0_PROJECTID", FCM_PROJECT);
		env.put("HERALD_DELIVERY_FCM_PROVIDERS_0_ACCESSTOKEN", "sandbox");
		env.put("HERALD_DELIVERY_FCM_PROVIDERS_0_ROOTURL", this.fcm.baseUrl());
		return env;
	}

	/** Stops the page and every sandbox. */
	@Override
	public void close() {
		this.page.close();
		this.fcm.close();
		this.apns.close();
		this.twilio.close();
		this.mail.close();
	}

}
