package io.herald.ingestion.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.herald.events.CallWebhook;
import io.herald.events.DeliveryState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One try of a call against a real HTTP server on 127.0.0.1 (the JDK's): what each answer
 * comes to, the deadline of the whole call, and an answer that arrives while the common
 * fork-join pool is busy.
 */
class WebhookClientTests {

	/**
	 * Far longer than any answer of these tests takes: reaching it fails a test that
	 * expects an answer.
	 */
	private static final Duration PATIENT = Duration.ofSeconds(30);

	private final HttpServer server = server();

	private final CountDownLatch released = new CountDownLatch(1);

	private final List<WebhookClient> clients = new ArrayList<>();

	@AfterEach
	void stop() {
		this.released.countDown();
		this.server.stop(0);
		this.clients.forEach(WebhookClient::close);
	}

	@Test
	void eachAnswerComesToItsOutcome() {
		WebhookClient client = client(PATIENT);
		assertThat(client.call(endpoint("/status/204"), call())).isEqualTo(new CallOutcome.Delivered(204));
		assertThat(client.call(endpoint("/status/410"), call())).isEqualTo(new CallOutcome.Gone());
		assertThat(client.call(endpoint("/status/404"), call())).isEqualTo(new CallOutcome.Rejected("status_404"));
		assertThat(client.call(endpoint("/status/302"), call())).as("a redirect is not followed")
			.isEqualTo(new CallOutcome.Rejected("status_302"));
		assertThat(client.call(endpoint("/status/429"), call()))
			.isEqualTo(new CallOutcome.Failed("status_429", "120", false));
		assertThat(client.call(endpoint("/status/503"), call()))
			.isEqualTo(new CallOutcome.Failed("status_503", "120", false));
	}

	@Test
	void anAnswerArrivingWhileTheCommonPoolIsBusyEndsTheCallAtOnce() {
		WebhookClient client = client(PATIENT);
		CountDownLatch busy = new CountDownLatch(1);
		List<CompletableFuture<Void>> blockers = new ArrayList<>();
		try {
			for (int i = 0; i < ForkJoinPool.getCommonPoolParallelism(); i++) {
				blockers.add(CompletableFuture.runAsync(() -> await(busy)));
			}
			assertThat(client.call(endpoint("/status/200"), call())).isEqualTo(new CallOutcome.Delivered(200));
		}
		finally {
			busy.countDown();
			blockers.forEach(CompletableFuture::join);
		}
	}

	@Test
	void aCallIsEndedAtItsDeadlineAndLeavesItsThreadUninterrupted() {
		WebhookClient client = client(Duration.ofMillis(500));
		assertThat(client.call(endpoint("/held"), call())).isEqualTo(new CallOutcome.Failed("timeout", null, true));
		assertThat(Thread.interrupted()).isFalse();
		assertThat(client.call(endpoint("/drip"), call())).as("the answer's body counts")
			.isEqualTo(new CallOutcome.Failed("timeout", null, true));
		assertThat(Thread.interrupted()).isFalse();
		assertThat(client.call(endpoint("/status/200"), call())).isEqualTo(new CallOutcome.Delivered(200));
		assertThat(Thread.interrupted()).isFalse();
	}

	private WebhookClient client(Duration callTimeout) {
		WebhookProperties properties = new WebhookProperties(20, true, Duration.ofSeconds(2), callTimeout, 4, 8,
				Duration.ofSeconds(5), 4, Duration.ofHours(1), 0.5, Duration.ofHours(24), Duration.ofHours(24), 2,
				Duration.ofSeconds(10));
		WebhookClient client = new WebhookClient(properties, Clock.systemUTC());
		this.clients.add(client);
		return client;
	}

	private WebhookEndpoint endpoint(String path) {
		return new WebhookEndpoint("ep_0123456789abcdef",
				"http://127.0.0.1:" + this.server.getAddress().getPort() + path, Set.of(DeliveryState.SENT), null,
				Signatures.newSecret(), null, null, Instant.parse("2026-11-01T00:00:00Z"), null, null);
	}

	private static CallWebhook call() {
		return new CallWebhook(CallWebhook.SCHEMA_VERSION, "acme", "ep_0123456789abcdef",
				"msg_0123456789abcdef0123456789abcdef", "delivery.sent", "{}", Instant.now(), 1);
	}

	private HttpServer server() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			server.createContext("/", this::answer);
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * {@code /status/<code>}, {@code /held} (no answer), {@code /drip} (a body that never
	 * ends).
	 */
	private void answer(HttpExchange exchange) throws IOException {
		exchange.getRequestBody().readAllBytes();
		String path = exchange.getRequestURI().getPath();
		if (path.equals("/held")) {
			await(this.released);
		}
		else if (path.equals("/drip")) {
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream body = exchange.getResponseBody()) {
				while (this.released.getCount() > 0) {
					body.write('.');
					body.flush();
					this.released.await(50, TimeUnit.MILLISECONDS);
				}
			}
			catch (IOException | InterruptedException ex) {
				// The client went away.
			}
			return;
		}
		int status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
		if (status == 429 || status == 503) {
			exchange.getResponseHeaders().set("Retry-After", "120");
		}
		if (status == 302) {
			exchange.getResponseHeaders().set("Location", "http://127.0.0.1:1/elsewhere");
		}
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
