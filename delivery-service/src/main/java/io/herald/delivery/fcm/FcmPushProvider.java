package io.herald.delivery.fcm;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.AndroidNotification;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import com.google.firebase.messaging.WebpushConfig;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.FailureCause;
import io.herald.delivery.provider.Provider;
import io.herald.delivery.provider.ProviderLimits;
import io.herald.delivery.provider.RejectionCause;
import io.herald.delivery.provider.RetryAfter;
import io.herald.delivery.provider.Send;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.JsonCodec;
import io.herald.events.Priority;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Android and web push through one Firebase project with firebase-admin, asynchronously
 * ({@code sendAsync}).
 *
 * <p>
 * Every message carries the notification's title and body, its data (values that are not
 * strings as JSON text, as FCM takes strings only) and {@code heraldEventId},
 * {@code heraldNotificationId}, {@code heraldCategory}; on Android a collapse key and a
 * notification tag derived from the send's stable id, so a message sent again after a
 * crash replaces the first on the device instead of showing twice; {@code high} priority
 * for critical and high notifications; a time to live up to the notification's
 * {@code expiresAt}.
 *
 * <p>
 * FCM's answers, as outcomes:
 * <table>
 * <caption>FCM errors</caption>
 * <tr>
 * <th>FCM</th>
 * <th>outcome</th>
 * </tr>
 * <tr>
 * <td>200, a message name</td>
 * <td>{@code Sent(name)}</td>
 * </tr>
 * <tr>
 * <td>{@code UNREGISTERED}, {@code SENDER_ID_MISMATCH}, {@code INVALID_ARGUMENT} about
 * the token</td>
 * <td>{@code Rejected(UNREGISTERED_DEVICE)}, a dead token: routing forgets the
 * device</td>
 * </tr>
 * <tr>
 * <td>other {@code INVALID_ARGUMENT}</td>
 * <td>{@code Rejected(INVALID_MESSAGE)}</td>
 * </tr>
 * <tr>
 * <td>{@code THIRD_PARTY_AUTH_ERROR}</td>
 * <td>{@code Failed(AUTH)}</td>
 * </tr>
 * <tr>
 * <td>{@code QUOTA_EXCEEDED}</td>
 * <td>{@code Failed(QUOTA_EXCEEDED)} with FCM's {@code Retry-After}</td>
 * </tr>
 * <tr>
 * <td>{@code UNAVAILABLE}, {@code INTERNAL}, no connection</td>
 * <td>{@code Failed(UNAVAILABLE)}, with {@code Retry-After} when FCM sent one</td>
 * </tr>
 * </table>
 * firebase-admin itself retries {@code UNAVAILABLE} and 5xx a few times, honouring
 * {@code Retry-After}; its last answer is the outcome.
 */
final class FcmPushProvider implements Provider {

	private static final String FCM_ROOT = "https://fcm.googleapis.com";

	private final FcmProperties.Project project;

	private final FirebaseApp app;

	private final FirebaseMessaging messaging;

	FcmPushProvider(FcmProperties.Project project) {
		this.project = project;
		FirebaseOptions options = FirebaseOptions.builder()
			.setProjectId(project.projectId())
			.setCredentials(credentials(project))
			.setHttpTransport(transport(project.rootUrl().toString().replaceAll("/+$", "")))
			.setConnectTimeout((int) project.timeout().toMillis())
			.setReadTimeout((int) project.timeout().toMillis())
			.build();
		this.app = FirebaseApp.initializeApp(options, "herald-" + project.name() + "-" + UUID.randomUUID());
		this.messaging = FirebaseMessaging.getInstance(this.app);
	}

	private static GoogleCredentials credentials(FcmProperties.Project project) {
		if (project.accessToken() != null) {
			return GoogleCredentials
				.create(new AccessToken(project.accessToken(), Date.from(Instant.now().plus(Duration.ofDays(3650)))));
		}
		try {
			if (project.credentials() != null) {
				try (InputStream in = Files.newInputStream(project.credentials())) {
					return GoogleCredentials.fromStream(in);
				}
			}
			return GoogleCredentials.getApplicationDefault();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"FCM project '" + project.name() + "': cannot read credentials: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The SDK has no root URL setting: requests for FCM's root are sent to another one
	 * where connections open.
	 */
	private static HttpTransport transport(String rootUrl) {
		if (rootUrl.equals(FCM_ROOT)) {
			return new NetHttpTransport();
		}
		return new NetHttpTransport.Builder().setConnectionFactory((url) -> open(url, rootUrl)).build();
	}

	private static HttpURLConnection open(URL url, String rootUrl) throws IOException {
		String target = url.toString();
		if (target.startsWith(FCM_ROOT)) {
			target = rootUrl + target.substring(FCM_ROOT.length());
		}
		return (HttpURLConnection) URI.create(target).toURL().openConnection();
	}

	@Override
	public String name() {
		return this.project.name();
	}

	@Override
	public Channel channel() {
		return Channel.PUSH;
	}

	@Override
	public ProviderLimits limits() {
		return new ProviderLimits(this.project.maxInFlight(), this.project.ratePerSecond());
	}

	@Override
	public boolean accepts(Send send) {
		return send.device() != null && (send.device().platform() == Device.Platform.ANDROID
				|| send.device().platform() == Device.Platform.WEB);
	}

	@Override
	public CompletableFuture<DeliveryOutcome> send(Send send) {
		CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
		ApiFuture<String> sent;
		try {
			sent = this.messaging.sendAsync(message(send));
		}
		catch (RuntimeException ex) {
			outcome.complete(
					new DeliveryOutcome.Rejected(RejectionCause.INVALID_MESSAGE, String.valueOf(ex.getMessage())));
			return outcome;
		}
		ApiFutures.addCallback(sent, new ApiFutureCallback<>() {

			@Override
			public void onSuccess(String name) {
				outcome.complete(new DeliveryOutcome.Sent(name));
			}

			@Override
			public void onFailure(Throwable failure) {
				outcome.complete(classify(failure));
			}

		}, MoreExecutors.directExecutor());
		return outcome;
	}

	static Message message(Send send) {
		ChannelMessage.Push push = (ChannelMessage.Push) send.message();
		DeliverNotification notification = send.notification();
		Device device = send.requireDevice();
		boolean urgent = notification.priority() == Priority.CRITICAL || notification.priority() == Priority.HIGH;
		Message.Builder message = Message.builder()
			.setToken(device.token())
			.setNotification(Notification.builder().setTitle(push.title()).setBody(push.body()).build())
			.putAllData(data(notification));
		Duration ttl = (notification.expiresAt() != null) ? Duration.between(Instant.now(), notification.expiresAt())
				: null;
		if (device.platform() == Device.Platform.WEB) {
			WebpushConfig.Builder web = WebpushConfig.builder().putHeader("Urgency", urgent ? "high" : "normal");
			if (ttl != null) {
				web.putHeader("TTL", Long.toString(Math.max(0, ttl.toSeconds())));
			}
			message.setWebpushConfig(web.build());
		}
		else {
			AndroidConfig.Builder android = AndroidConfig.builder()
				.setPriority(urgent ? AndroidConfig.Priority.HIGH : AndroidConfig.Priority.NORMAL)
				.setCollapseKey(send.stableId())
				.setNotification(AndroidNotification.builder().setTag(send.stableId()).build());
			if (ttl != null) {
				android.setTtl(Math.max(0, ttl.toMillis()));
			}
			message.setAndroidConfig(android.build());
		}
		return message.build();
	}

	private static Map<String, String> data(DeliverNotification notification) {
		Map<String, String> data = new LinkedHashMap<>();
		notification.data().forEach((key, value) -> {
			if (value != null) {
				data.put(key,
						(value instanceof String text) ? text : new String(JsonCodec.MAPPER.writeValueAsBytes(value),
								java.nio.charset.StandardCharsets.UTF_8));
			}
		});
		data.put("heraldEventId", notification.eventId());
		data.put("heraldNotificationId", notification.notificationId());
		data.put("heraldCategory", notification.category());
		return data;
	}

	static DeliveryOutcome classify(Throwable failure) {
		if (!(failure instanceof FirebaseMessagingException fcm)) {
			return new DeliveryOutcome.Failed(FailureCause.UNAVAILABLE, null, String.valueOf(failure));
		}
		String detail = fcm.getMessagingErrorCode() + " " + fcm.getErrorCode() + ": " + fcm.getMessage();
		MessagingErrorCode code = fcm.getMessagingErrorCode();
		if (code == MessagingErrorCode.UNREGISTERED || code == MessagingErrorCode.SENDER_ID_MISMATCH) {
			return new DeliveryOutcome.Rejected(RejectionCause.UNREGISTERED_DEVICE, detail);
		}
		if (code == MessagingErrorCode.INVALID_ARGUMENT
				|| fcm.getErrorCode() == com.google.firebase.ErrorCode.INVALID_ARGUMENT) {
			boolean token = String.valueOf(fcm.getMessage()).toLowerCase().contains("registration token");
			return new DeliveryOutcome.Rejected(
					token ? RejectionCause.UNREGISTERED_DEVICE : RejectionCause.INVALID_MESSAGE, detail);
		}
		if (code == MessagingErrorCode.THIRD_PARTY_AUTH_ERROR
				|| fcm.getErrorCode() == com.google.firebase.ErrorCode.UNAUTHENTICATED
				|| fcm.getErrorCode() == com.google.firebase.ErrorCode.PERMISSION_DENIED) {
			return new DeliveryOutcome.Failed(FailureCause.AUTH, null, detail);
		}
		Duration retryAfter = retryAfter(fcm.getHttpResponse());
		if (code == MessagingErrorCode.QUOTA_EXCEEDED) {
			return new DeliveryOutcome.Failed(FailureCause.QUOTA_EXCEEDED, retryAfter, detail);
		}
		return new DeliveryOutcome.Failed(FailureCause.UNAVAILABLE, retryAfter, detail);
	}

	private static @Nullable Duration retryAfter(@Nullable IncomingHttpResponse response) {
		if (response == null) {
			return null;
		}
		Object header = response.getHeaders().get("retry-after");
		if (header instanceof List<?> values && !values.isEmpty()) {
			header = values.get(0);
		}
		return RetryAfter.parse((header != null) ? header.toString() : null, Clock.systemUTC());
	}

	@Override
	public void close() {
		this.app.delete();
	}

}
