package io.herald.ingestion.webhook;

import io.herald.events.CallWebhook;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes one try of a webhook call: a signed {@code POST} of the call's body with the
 * headers of the Standard Webhooks specification ({@code webhook-id},
 * {@code webhook-timestamp} in seconds, {@code webhook-signature}), redirects not
 * followed, bounded in the time to connect and in the time of the whole call, answer body
 * included.
 *
 * <p>
 * Closing it lets the calls in flight end (each within the call timeout) and refuses new
 * ones: a call started after that fails as {@code connection} and is tried again later.
 * The sender, the only user, stops before the client is closed
 * ({@link WebhookSender#destroy()}).
 */
class WebhookClient implements AutoCloseable {

	static final String USER_AGENT = "Herald-Webhooks/1";

	private static final Logger logger = LoggerFactory.getLogger(WebhookClient.class);

	private final HttpClient http;

	private final Duration callTimeout;

	private final EndpointAddresses addresses;

	private final Clock clock;

	/** Interrupts the calls that outlive the call timeout. */
	private final ScheduledExecutorService deadlines = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("herald-webhook-deadlines").daemon().factory());

	private volatile boolean closing;

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
		if (this.closing) {
			return new CallOutcome.Failed("client_closed", null, true);
		}
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
		// Sent and awaited on the calling thread: sendAsync completes its futures on the
		// common fork-join pool, where any blocked task (one worker on a two-core host)
		// holds up answers that have arrived until the call times out. The deadline
		// bounds the whole call, answer body included; the request's own timeout ends
		// once the headers are in.
		Deadline deadline = new Deadline(Thread.currentThread());
		ScheduledFuture<?> expiry = this.deadlines.schedule(deadline, this.callTimeout.toMillis(),
				TimeUnit.MILLISECONDS);
		try {
			HttpResponse<Void> response = this.http.send(request, HttpResponse.BodyHandlers.discarding());
			return outcome(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null));
		}
		catch (InterruptedException ex) {
			if (deadline.expired()) {
				return new CallOutcome.Failed("timeout", null, true);
			}
			Thread.currentThread().interrupt();
			return new CallOutcome.Failed("interrupted", null, false);
		}
		catch (HttpConnectTimeoutException | ConnectException ex) {
			return new CallOutcome.Failed("connection", null, true);
		}
		catch (HttpTimeoutException ex) {
			return new CallOutcome.Failed("timeout", null, true);
		}
		catch (IOException ex) {
			return new CallOutcome.Failed("connection", null, true);
		}
		finally {
			expiry.cancel(false);
			deadline.finish();
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

	/** Waits up to the call timeout for the calls in flight, then ends those left. */
	@Override
	public void close() {
		this.closing = true;
		logger.info("Closing the webhook HTTP client");
		this.http.shutdown();
		try {
			if (!this.http.awaitTermination(this.callTimeout)) {
				this.http.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.http.shutdownNow();
			Thread.currentThread().interrupt();
		}
		finally {
			this.deadlines.shutdownNow();
		}
	}

	/** Whether the client is closing or closed: it takes no more calls. */
	boolean isClosing() {
		return this.closing;
	}

	/** Whether the client was closed and every call it made has ended. */
	boolean isClosed() {
		return this.http.isTerminated();
	}

	/**
	 * Interrupts a call that outlives the call timeout, which makes the client abort it;
	 * never after the call ended, so the interrupt reaches no later work of the thread.
	 */
	private static final class Deadline implements Runnable {

		private final Lock lock = new ReentrantLock();

		private final Thread caller;

		private boolean finished;

		private boolean expired;

		Deadline(Thread caller) {
			this.caller = caller;
		}

		@Override
		public void run() {
			this.lock.lock();
			try {
				if (!this.finished) {
					this.expired = true;
					this.caller.interrupt();
				}
			}
			finally {
				this.lock.unlock();
			}
		}

		boolean expired() {
			this.lock.lock();
			try {
				return this.expired;
			}
			finally {
				this.lock.unlock();
			}
		}

		/**
		 * Ends the deadline; clears its interrupt should it have come after the call
		 * ended.
		 */
		void finish() {
			this.lock.lock();
			try {
				this.finished = true;
				if (this.expired) {
					Thread.interrupted();
				}
			}
			finally {
				this.lock.unlock();
			}
		}

	}

}
