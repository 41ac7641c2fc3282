package io.herald.loaddriver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscribes users to a topic through routing's user API ({@code PUT
 * /v1/topics/{topic}/subscribers/{userId}}, API.md section 2), a bounded number of
 * requests at a time. Each call returns once routing's user state shows the subscription,
 * so an event published after the last one reaches every user.
 */
final class TopicSubscriptions {

	private final URI routingUrl;

	private final String apiKey;

	private final int concurrency;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	TopicSubscriptions(URI routingUrl, String apiKey, int concurrency) {
		this.routingUrl = routingUrl;
		this.apiKey = apiKey;
		this.concurrency = concurrency;
	}

	/**
	 * Subscribes the users; returns how many failed (any answer but 200 or 202, or no
	 * answer).
	 */
	long subscribe(String topic, List<String> users) throws InterruptedException {
		Semaphore inFlight = new Semaphore(this.concurrency);
		AtomicLong failures = new AtomicLong();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			for (String user : users) {
				URI uri = this.routingUrl.resolve("/v1/topics/" + topic + "/subscribers/" + user);
				inFlight.acquire();
				clients.execute(() -> {
					try {
						if (!put(uri)) {
							failures.incrementAndGet();
						}
					}
					finally {
						inFlight.release();
					}
				});
			}
		}
		return failures.get();
	}

	private boolean put(URI uri) {
		try {
			int status = this.http
				.send(HttpRequest.newBuilder(uri)
					.header("Authorization", "Bearer " + this.apiKey)
					.timeout(Duration.ofSeconds(30))
					.PUT(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
			return status == 200 || status == 202;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
