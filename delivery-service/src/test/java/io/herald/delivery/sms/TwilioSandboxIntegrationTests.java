package io.herald.delivery.sms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.twilio.exception.ApiException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import io.herald.infra.sandbox.TwilioFailure;
import io.herald.infra.sandbox.TwilioMessage;
import io.herald.infra.sandbox.TwilioSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Drives {@link TwilioSandbox} through the real twilio-java SDK, with its own retries,
 * sent to the sandbox by the provider's {@link TwilioRequests}: the sandbox answers as
 * Twilio does.
 */
class TwilioSandboxIntegrationTests {

	private static final String FROM = "+15017122661";

	private static final String TO = "+15558675310";

	private TwilioSandbox sandbox;

	private TwilioRestClient client;

	@BeforeEach
	void startSandbox() {
		this.sandbox = TwilioSandbox.start();
		this.client = client(TwilioSandbox.DEFAULT_AUTH_TOKEN);
	}

	@AfterEach
	void stopSandbox() {
		this.sandbox.close();
	}

	@Test
	void createReturnsQueuedMessageAndSandboxRecordsIt() {
		Message message = Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "Your code is 123456")
			.create(this.client);

		assertThat(message.getSid()).matches("SM[0-9a-f]{32}");
		assertThat(message.getStatus()).isEqualTo(Message.Status.QUEUED);
		assertThat(message.getAccountSid()).isEqualTo(TwilioSandbox.DEFAULT_ACCOUNT_SID);
		assertThat(message.getTo()).isEqualTo(TO);
		assertThat(message.getFrom()).hasToString(FROM);
		assertThat(message.getBody()).isEqualTo("Your code is 123456");
		assertThat(message.getDateCreated()).isNotNull();
		assertThat(this.sandbox.messages()).singleElement().satisfies((recorded) -> {
			assertThat(recorded.sid()).isEqualTo(message.getSid());
			assertThat(recorded.to()).isEqualTo(TO);
			assertThat(recorded.from()).isEqualTo(FROM);
			assertThat(recorded.body()).isEqualTo("Your code is 123456");
		});
	}

	@Test
	void messagingServiceSendIsRecordedWithoutFrom() {
		String service = "MG00000000000000000000000000000001";

		Message message = Message.creator(new PhoneNumber(TO), service, "Hello").create(this.client);

		assertThat(message.getMessagingServiceSid()).isEqualTo(service);
		assertThat(this.sandbox.messages()).singleElement().satisfies((recorded) -> {
			assertThat(recorded.from()).isNull();
			assertThat(recorded.messagingServiceSid()).isEqualTo(service);
		});
	}

	@Test
	void recordedMessagesAreServedAsJson() throws Exception {
		Message message = Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "Hi").create(this.client);

		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(this.sandbox.baseUrl() + "/sandbox/messages")).build(),
					HttpResponse.BodyHandlers.ofString());

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"sid\":\"" + message.getSid() + "\"");
		}
	}

	@Test
	void numberThatIsNotE164IsRejectedWith21211() {
		assertRejected("5558675310", 21211, 400);
	}

	@Test
	void numberInTheInvalidRangeIsRejectedWith21211() {
		assertRejected(TwilioSandbox.INVALID_NUMBER_PREFIX + "123", 21211, 400);
	}

	@Test
	void numberMarkedInvalidIsRejectedWith21211() {
		this.sandbox.markInvalid(TO);

		assertRejected(TO, 21211, 400);
	}

	@Test
	void unsubscribedRecipientIsRejectedWith21610() {
		this.sandbox.markUnsubscribed(TO);

		assertRejected(TO, 21610, 400);
		assertThat(this.sandbox.messages()).isEmpty();
	}

	@Test
	void rateLimitIsAnsweredWith20429() {
		this.sandbox.failUntilCleared(TwilioFailure.RATE_LIMITED);

		assertRejected(TO, 20429, 429);
		this.sandbox.clearFailures();
		assertThat(Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "again").create(this.client).getSid())
			.startsWith("SM");
	}

	@Test
	void rateLimitCarriesRetryAfterOnceOneIsSet() throws Exception {
		this.sandbox.failUntilCleared(TwilioFailure.RATE_LIMITED);
		try (HttpClient http = HttpClient.newHttpClient()) {
			assertThat(postMessage(http).headers().firstValue("Retry-After")).isEmpty();
			this.sandbox.retryAfter(Duration.ofSeconds(3));

			HttpResponse<String> response = postMessage(http);

			assertThat(response.statusCode()).isEqualTo(429);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
		}
	}

	private HttpResponse<String> postMessage(HttpClient http) throws Exception {
		String credentials = Base64.getEncoder()
			.encodeToString((TwilioSandbox.DEFAULT_ACCOUNT_SID + ":" + TwilioSandbox.DEFAULT_AUTH_TOKEN)
				.getBytes(StandardCharsets.UTF_8));
		return http.send(HttpRequest
			.newBuilder(URI.create(this.sandbox.baseUrl() + "/2010-04-01/Accounts/" + TwilioSandbox.DEFAULT_ACCOUNT_SID
					+ "/Messages.json"))
			.header("Authorization", "Basic " + credentials)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("To=%2B15558675310&From=%2B15017122661&Body=Hi"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void serverErrorIsAnsweredOnDemand() {
		this.sandbox.failUntilCleared(TwilioFailure.INTERNAL_ERROR);

		assertRejected(TO, 20500, 500);
		this.sandbox.clearFailures();
		assertThat(Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "again").create(this.client).getSid())
			.startsWith("SM");
	}

	@Test
	void sdkRetriesServerErrorAndSucceedsOnceTheSandboxRecovers() {
		this.sandbox.failNext(1, TwilioFailure.INTERNAL_ERROR);

		Message message = Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "Hi").create(this.client);

		assertThat(this.sandbox.messages()).extracting(TwilioMessage::sid).containsExactly(message.getSid());
	}

	@Test
	void wrongAuthTokenIsAnswered401() {
		TwilioRestClient intruder = client("wrong-token");

		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "Hi").create(intruder))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(401);
				assertThat(ex.getCode()).isEqualTo(20003);
			});
		assertThat(this.sandbox.messages()).isEmpty();
	}

	private void assertRejected(String to, int code, int status) {
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> Message.creator(new PhoneNumber(to), new PhoneNumber(FROM), "Hi").create(this.client))
			.satisfies((ex) -> {
				assertThat(ex.getCode()).isEqualTo(code);
				assertThat(ex.getStatusCode()).isEqualTo(status);
				assertThat(ex.getMoreInfo()).isEqualTo("https://www.twilio.com/docs/errors/" + code);
			});
	}

	private TwilioRestClient client(String authToken) {
		return new TwilioRestClient.Builder(TwilioSandbox.DEFAULT_ACCOUNT_SID, authToken)
			.httpClient(new NetworkHttpClient() {

				@Override
				public Response makeRequest(Request request) {
					return super.makeRequest(
							TwilioRequests.rebase(request, TwilioSandboxIntegrationTests.this.sandbox.baseUrl()));
				}

			})
			.build();
	}

}
