package io.herald.infra.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Drives {@link FcmSandbox} through the real firebase-admin SDK.
 */
class FcmSandboxIntegrationTests {

	private static final String PROJECT = "herald-sandbox";

	private FcmSandbox sandbox;

	private FirebaseApp app;

	private FirebaseMessaging messaging;

	@BeforeEach
	void startSandboxAndSdk() {
		this.sandbox = FcmSandbox.start();
		GoogleCredentials credentials = GoogleCredentials
			.create(new AccessToken("sandbox", new Date(Long.MAX_VALUE / 2)));
		FirebaseOptions options = FirebaseOptions.builder()
			.setProjectId(PROJECT)
			.setCredentials(credentials)
			.setHttpTransport(FirebaseSandboxTransport.to(this.sandbox.baseUrl()))
			.build();
		this.app = FirebaseApp.initializeApp(options, "fcm-sandbox-" + UUID.randomUUID());
		this.messaging = FirebaseMessaging.getInstance(this.app);
	}

	@AfterEach
	void stop() {
		this.app.delete();
		this.sandbox.close();
	}

	@Test
	void sendReturnsMessageNameAndSandboxRecordsTheMessage() throws Exception {
		String name = this.messaging.send(Message.builder()
			.setToken("device-1")
			.setNotification(Notification.builder().setTitle("Order shipped").setBody("Arrives Tuesday").build())
			.putData("orderId", "42")
			.build());

		assertThat(name).startsWith("projects/" + PROJECT + "/messages/");
		assertThat(this.sandbox.messages()).singleElement().satisfies((message) -> {
			assertThat(message.name()).isEqualTo(name);
			assertThat(message.project()).isEqualTo(PROJECT);
			assertThat(message.token()).isEqualTo("device-1");
			assertThat(message.title()).isEqualTo("Order shipped");
			assertThat(message.body()).isEqualTo("Arrives Tuesday");
			assertThat(message.data()).containsExactly(Map.entry("orderId", "42"));
		});
	}

	@Test
	void concurrentSendsAreAllRecorded() throws Exception {
		List<Callable<String>> sends = IntStream.range(0, 32)
			.<Callable<String>>mapToObj(
					(i) -> () -> this.messaging.send(Message.builder().setToken("device-" + i).build()))
			.toList();

		List<String> names = new ArrayList<>();
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			for (Future<String> name : executor.invokeAll(sends)) {
				names.add(name.get());
			}
		}

		assertThat(this.sandbox.messages()).extracting(FcmMessage::name).containsExactlyInAnyOrderElementsOf(names);
		assertThat(names).doesNotHaveDuplicates();
	}

	@Test
	void recordedMessagesAreServedAsJson() throws Exception {
		this.messaging.send(Message.builder().setToken("device-2").putData("k", "v").build());

		HttpResponse<String> response = get("/sandbox/messages");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"token\":\"device-2\"").contains("\"data\":{\"k\":\"v\"}");
	}

	@Test
	void deadTokenIsRejectedAsUnregistered() {
		assertThatExceptionOfType(FirebaseMessagingException.class)
			.isThrownBy(() -> this.messaging.send(Message.builder().setToken("dead-device").build()))
			.satisfies((ex) -> assertThat(ex.getMessagingErrorCode()).isEqualTo(MessagingErrorCode.UNREGISTERED));
		assertThat(this.sandbox.messages()).isEmpty();
	}

	@Test
	void tokenMarkedUnregisteredIsRejectedAsUnregistered() {
		this.sandbox.markUnregistered("uninstalled-device");

		assertThatExceptionOfType(FirebaseMessagingException.class)
			.isThrownBy(() -> this.messaging.send(Message.builder().setToken("uninstalled-device").build()))
			.satisfies((ex) -> assertThat(ex.getMessagingErrorCode()).isEqualTo(MessagingErrorCode.UNREGISTERED));
	}

	@Test
	void quotaExceededMapsToQuotaExceeded() {
		this.sandbox.failUntilCleared(FcmFailure.QUOTA_EXCEEDED);

		assertThatExceptionOfType(FirebaseMessagingException.class)
			.isThrownBy(() -> this.messaging.send(Message.builder().setToken("device-3").build()))
			.satisfies((ex) -> assertThat(ex.getMessagingErrorCode()).isEqualTo(MessagingErrorCode.QUOTA_EXCEEDED));
	}

	@Test
	void unavailableMapsToUnavailable() {
		this.sandbox.failUntilCleared(FcmFailure.UNAVAILABLE);

		assertThatExceptionOfType(FirebaseMessagingException.class)
			.isThrownBy(() -> this.messaging.send(Message.builder().setToken("device-4").build()))
			.satisfies((ex) -> assertThat(ex.getMessagingErrorCode()).isEqualTo(MessagingErrorCode.UNAVAILABLE));
	}

	@Test
	void failNextFailsOnlyThatManySends() throws Exception {
		this.sandbox.failNext(1, FcmFailure.INTERNAL);
		Message message = Message.builder().setToken("device-5").build();

		assertThatExceptionOfType(FirebaseMessagingException.class).isThrownBy(() -> this.messaging.send(message))
			.satisfies((ex) -> assertThat(ex.getMessagingErrorCode()).isEqualTo(MessagingErrorCode.INTERNAL));
		String name = this.messaging.send(message);

		assertThat(this.sandbox.messages()).extracting(FcmMessage::name).containsExactly(name);
	}

	@Test
	void sdkRetriesUnavailableAndSucceedsOnceTheSandboxRecovers() throws Exception {
		this.sandbox.failNext(1, FcmFailure.UNAVAILABLE);

		String name = this.messaging.send(Message.builder().setToken("device-6").build());

		assertThat(this.sandbox.messages()).extracting(FcmMessage::name).containsExactly(name);
	}

	@Test
	void emptyTokenIsRejectedAsInvalidArgument() throws Exception {
		HttpResponse<String> response = post("/v1/projects/p/messages:send", "{\"message\":{\"token\":\"\"}}");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"status\":\"INVALID_ARGUMENT\"")
			.contains("\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\"")
			.contains("\"errorCode\":\"INVALID_ARGUMENT\"");
	}

	@Test
	void malformedBodyIsRejectedAsInvalidArgument() throws Exception {
		HttpResponse<String> response = post("/v1/projects/p/messages:send", "{not json");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"errorCode\":\"INVALID_ARGUMENT\"");
	}

	@Test
	void quotaExceededCarriesRetryAfter() throws Exception {
		this.sandbox.retryAfter(Duration.ofSeconds(7));
		this.sandbox.failNext(1, FcmFailure.QUOTA_EXCEEDED);

		HttpResponse<String> response = post("/v1/projects/p/messages:send", "{\"message\":{\"token\":\"t\"}}");

		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
		assertThat(response.body()).contains("\"status\":\"RESOURCE_EXHAUSTED\"");
	}

	private HttpResponse<String> get(String path) throws Exception {
		try (HttpClient client = HttpClient.newHttpClient()) {
			return client.send(HttpRequest.newBuilder(URI.create(this.sandbox.baseUrl() + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		try (HttpClient client = HttpClient.newHttpClient()) {
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.sandbox.baseUrl() + path))
				.header("Authorization", "Bearer test")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build();
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
	}

}
