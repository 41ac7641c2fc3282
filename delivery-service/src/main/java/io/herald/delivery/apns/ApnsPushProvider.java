package io.herald.delivery.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.FailureCause;
import io.herald.delivery.provider.Provider;
import io.herald.delivery.provider.ProviderLimits;
import io.herald.delivery.provider.RejectionCause;
import io.herald.delivery.provider.Send;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.Priority;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * iOS push through one APNs account with pushy, asynchronously over HTTP/2.
 *
 * <p>
 * Every notification is an alert with the title and body, {@code category} set to the
 * notification's category, and {@code heraldEventId}, {@code heraldNotificationId} and
 * {@code data} as custom keys. Its {@code apns-id} and {@code apns-collapse-id} are the
 * send's stable id, so a notification sent again after a crash replaces the first on the
 * device instead of showing twice. Priority 10 for critical and high notifications, 5
 * otherwise; APNs drops it at the notification's {@code expiresAt}.
 *
 * <p>
 * APNs' answers, as outcomes (and their causes; a rejection's wire reason is APNs' own,
 * in snake case):
 * <table>
 * <caption>APNs errors</caption>
 * <tr>
 * <th>APNs</th>
 * <th>outcome</th>
 * </tr>
 * <tr>
 * <td>200</td>
 * <td>{@code Sent(apns-id)}</td>
 * </tr>
 * <tr>
 * <td>410 {@code Unregistered}, 400 {@code BadDeviceToken}, 400
 * {@code DeviceTokenNotForTopic}</td>
 * <td>{@code Rejected(UNREGISTERED_DEVICE)}, a dead token: routing forgets the
 * device</td>
 * </tr>
 * <tr>
 * <td>other 4xx ({@code PayloadTooLarge}, {@code BadTopic}, ...)</td>
 * <td>{@code Rejected(INVALID_MESSAGE)}</td>
 * </tr>
 * <tr>
 * <td>403 {@code ExpiredProviderToken}, {@code InvalidProviderToken}</td>
 * <td>{@code Failed(AUTH)}: pushy signs a new token; another account may take it
 * meanwhile</td>
 * </tr>
 * <tr>
 * <td>429 {@code TooManyRequests}</td>
 * <td>{@code Failed(PROVIDER_THROTTLED)}</td>
 * </tr>
 * <tr>
 * <td>500, 503, no connection, no answer</td>
 * <td>{@code Failed(UNAVAILABLE)} or {@code Failed(TIMEOUT)}</td>
 * </tr>
 * </table>
 */
final class ApnsPushProvider implements Provider {

	private static final Set<String> DEAD_TOKEN = Set.of("Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic",
			"ExpiredToken");

	/** APNs' limit on {@code apns-collapse-id}. */
	private static final int MAX_COLLAPSE_ID_BYTES = 64;

	private final ApnsProperties.Account account;

	private final ApnsClient client;

	ApnsPushProvider(ApnsProperties.Account account) {
		this.account = account;
		try {
			ApnsClientBuilder builder = new ApnsClientBuilder().setApnsServer(account.host(), account.port())
				.setConcurrentConnections(account.concurrentConnections())
				.setConnectionTimeout(account.timeout());
			if (account.signingKey() != null) {
				builder.setSigningKey(ApnsSigningKey.loadFromPkcs8File(account.signingKey().toFile(), account.teamId(),
						account.keyId()));
			}
			else {
				builder.setClientCredentials(account.certificate().toFile(), account.certificatePassword());
			}
			if (account.trustedServerCertificate() != null) {
				builder.setTrustedServerCertificateChain(account.trustedServerCertificate().toFile());
			}
			this.client = builder.build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("APNs account '" + account.name() + "': " + ex.getMessage(), ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException(
					"APNs account '" + account.name() + "' has an unusable key: " + ex.getMessage(), ex);
		}
	}

	@Override
	public String name() {
		return this.account.name();
	}

	@Override
	public Channel channel() {
		return Channel.PUSH;
	}

	@Override
	public ProviderLimits limits() {
		return new ProviderLimits(this.account.maxInFlight(), this.account.ratePerSecond());
	}

	@Override
	public boolean accepts(Send send) {
		return send.device() != null && send.device().platform() == Device.Platform.IOS;
	}

	@Override
	public CompletableFuture<DeliveryOutcome> send(Send send) {
		SimpleApnsPushNotification notification = notification(send);
		return this.client.sendNotification(notification)
			.orTimeout(this.account.timeout().toMillis(), TimeUnit.MILLISECONDS)
			.handle((response, failure) -> (failure != null) ? failed(failure) : outcome(response));
	}

	SimpleApnsPushNotification notification(Send send) {
		ChannelMessage.Push push = (ChannelMessage.Push) send.message();
		DeliverNotification notification = send.notification();
		Device device = send.requireDevice();
		SimpleApnsPayloadBuilder payload = new SimpleApnsPayloadBuilder();
		payload.setAlertTitle(push.title());
		payload.setAlertBody(push.body());
		payload.setCategoryName(notification.category());
		payload.setSound("default");
		payload.addCustomProperty("heraldEventId", notification.eventId());
		payload.addCustomProperty("heraldNotificationId", notification.notificationId());
		if (!notification.data().isEmpty()) {
			payload.addCustomProperty("data", notification.data());
		}
		boolean urgent = notification.priority() == Priority.CRITICAL || notification.priority() == Priority.HIGH;
		Instant expiration = (notification.expiresAt() != null) ? notification.expiresAt()
				: Instant.now().plus(SimpleApnsPushNotification.DEFAULT_EXPIRATION_PERIOD);
		String topic = (device.appId() != null && !device.appId().isBlank()) ? device.appId() : this.account.topic();
		String stableId = send.stableId();
		return new SimpleApnsPushNotification(device.token(), topic, payload.build(), expiration,
				urgent ? DeliveryPriority.IMMEDIATE : DeliveryPriority.CONSERVE_POWER, PushType.ALERT,
				stableId.substring(0, Math.min(stableId.length(), MAX_COLLAPSE_ID_BYTES)), UUID.fromString(stableId));
	}

	private static DeliveryOutcome outcome(PushNotificationResponse<SimpleApnsPushNotification> response) {
		if (response.isAccepted()) {
			return new DeliveryOutcome.Sent(response.getApnsId().toString());
		}
		String reason = response.getRejectionReason().orElse("Unknown");
		int status = response.getStatusCode();
		String detail = "APNs " + status + " " + reason;
		if (DEAD_TOKEN.contains(reason) || status == 410) {
			return new DeliveryOutcome.Rejected(RejectionCause.UNREGISTERED_DEVICE, snakeCase(reason), detail);
		}
		if (status == 403) {
			return new DeliveryOutcome.Failed(FailureCause.AUTH, null, detail);
		}
		if (status == 429) {
			return new DeliveryOutcome.Failed(FailureCause.PROVIDER_THROTTLED, null, detail);
		}
		if (status >= 400 && status < 500) {
			return new DeliveryOutcome.Rejected(RejectionCause.INVALID_MESSAGE, snakeCase(reason), detail);
		}
		return new DeliveryOutcome.Failed(FailureCause.UNAVAILABLE, null, detail);
	}

	private static DeliveryOutcome failed(Throwable failure) {
		Throwable cause = (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
				? failure.getCause() : failure;
		FailureCause reason = (cause instanceof TimeoutException) ? FailureCause.TIMEOUT : FailureCause.UNAVAILABLE;
		return new DeliveryOutcome.Failed(reason, null, "APNs: " + cause);
	}

	/** {@code BadDeviceToken} as {@code bad_device_token}. */
	static String snakeCase(String reason) {
		return reason.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
	}

	@Override
	public void close() {
		try {
			this.client.close().get(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			// Closing at shutdown: nothing left to do with a client that does not close
			// cleanly.
		}
	}

}
