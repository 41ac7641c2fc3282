package io.herald.ingestion.webhook;

import io.herald.events.CallWebhook;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes one try of a webhook call: a signed {@code POST} of the call's body with the headers of
 * the Standard Webhooks specification ({@code webhook-id}, {@code webhook-timestamp} in seconds,
 * {@code webhook-signature}), redirects not followed, bounded in the time to connect and in the
 * time of the whole call, answer body included.
 */
class WebhookClient {

	static final String USER_AGENT = "Herald-Webhooks/1";

	private final HttpClient http;

	private final Duration callTimeout;

	private final EndpointAddresses addresses;

	private final Clock clock;

	WebhookClient(WebhookProperties properties, Clock clock) {
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		this.callTimeout = properties.callTimeout();
		this.addresses = new EndpointAddresses(properties.allowPrivateNetworks());
		this.clock = clock;
	}

	CallOutcome call(WebhookEndpoint endpoint, CallWebhook call) {
		URI url = URI.create(endpoint.url());
		String refusal = this.addresses.refusal(url);
		if (refusal != null) {
			return new CallOutcome.Rejected(refusal);
		}
		Instant now = this.clock.instant();
		long timestamp = now.getEpochSecond();
		HttpRequest request = HttpRequest.newBuilder(url)
			.timeout(this.callTimeout)
			.header("Content-Type", "application/json")
			.header("User-Agent", USER_AGENT)
			.header("webhook-id", call.webhookId())
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature",
					Signatures.header(endpoint.signingSecrets(now), call.webhookId(), timestamp, call.body()))
			.POST(HttpRequest.BodyPublishers.ofString(call.body()))
			.build();
		CompletableFuture<HttpResponse<Void>> answer = this.http.sendAsync(request,
				HttpResponse.BodyHandlers.discarding());
		try {
			HttpResponse<Void> response = answer.get(this.callTimeout.toMillis(), TimeUnit.MILLISECONDS);
			return outcome(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null));
		}
		catch (TimeoutException ex) {
			answer.cancel(true);
			return new CallOutcome.Failed("timeout", null, true);
		}
		catch (InterruptedException ex) {
			answer.cancel(true);
			Thread.currentThread().interrupt();
			return new CallOutcome.Failed("interrupted", null, false);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
				return new CallOutcome.Failed("connection", null, true);
			}
			if (cause instanceof HttpTimeoutException) {
				return new CallOutcome.Failed("timeout", null, true);
			}
			if (cause instanceof IOException) {
				return new CallOutcome.Failed("connection", null, true);
			}
			return new CallOutcome.Failed("error", null, false);
		}
	}

	/** The outcome of an answer's status. */
	CallOutcome outcome(int status, @Nullable String retryAfter) {
		if (status >= 200 && status < 300) {
			return new CallOutcome.Delivered(status);
		}
		if (status == 410) {
			return new CallOutcome.Gone();
		}
		if (status == 408 || status == 429 || status >= 500) {
			return new CallOutcome.Failed("status_" + status, retryAfter, false);
		}
		return new CallOutcome.Rejected("status_" + status);
	}

}
