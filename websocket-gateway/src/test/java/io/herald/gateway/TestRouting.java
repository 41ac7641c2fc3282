package io.herald.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routing's internal preferences endpoint
 * ({@code /actuator/userpreferences/{tenant}/{userId}} on its management port) as the
 * gateway sees it, for the gateway's own tests: it requires the shared token as routing's
 * management filter does, keeps what is written per tenant and user and reads it back
 * (the defaults before), and answers what a test plans instead ({@link #answerNext}). It
 * does not check preferences: routing does, with the user API's rules, and a real routing
 * answers the gateway in the local stack's tests; here, a test plans routing's refusal
 * and sees the gateway relay it. {@link #hold()} makes it a routing that accepts
 * connections but does not answer, until {@link #release()}.
 */
public final class TestRouting implements AutoCloseable {

	/** The token this routing's preferences endpoint requires. */
	public static final String TOKEN = "test-routing-preferences-token-0123456789";

	/** How long a held request waits at most, so that no test leaves one hanging. */
	private static final Duration LONGEST_HOLD = Duration.ofSeconds(30);

	/** What a user who never set preferences reads. */
	public static final String DEFAULTS = "{\"channels\":{},\"categories\":{}}";

	private static final String PATH = "/actuator/userpreferences/";

	private final Map<String, String> stored = new ConcurrentHashMap<>();

	private final Queue<Planned> planned = new ConcurrentLinkedQueue<>();

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final HttpServer server;

	private final AtomicInteger inProgress = new AtomicInteger();

	private final AtomicInteger mostInProgress = new AtomicInteger();

	private volatile CountDownLatch held = new CountDownLatch(0);

	public TestRouting() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", this::handle);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.start();
	}

	/** Routing's management port, for {@code herald.gateway.preferences.routing-url}. */
	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** Answers the next request with this, whatever it asks. */
	public void answerNext(int status, String body) {
		this.planned.add(new Planned(status, body));
	}

	/** Closes the connection of the next request without an answer, as a crash does. */
	public void dropNext() {
		this.planned.add(new Planned(0, ""));
	}

	/**
	 * From now on, every request waits before anything is answered, until
	 * {@link #release()} (or for 30 s), as a routing that is stuck does.
	 */
	public void hold() {
		this.mostInProgress.set(this.inProgress.get());
		this.held = new CountDownLatch(1);
	}

	/** Lets every held request go on, and answers the next ones at once again. */
	public void release() {
		this.held.countDown();
	}

	/** The most requests this routing was serving at once since {@link #hold()}. */
	public int mostInProgress() {
		return this.mostInProgress.get();
	}

	/** The requests this routing is serving now. */
	public int inProgress() {
		return this.inProgress.get();
	}

	/** Every request that reached this routing, oldest first. */
	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.mostInProgress.accumulateAndGet(this.inProgress.incrementAndGet(), Math::max);
		try (exchange) {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			String path = exchange.getRequestURI().getRawPath();
			String token = exchange.getRequestHeaders().getFirst("X-Herald-Internal");
			this.requests.add(new Request(exchange.getRequestMethod(), path, token, body));
			awaitRelease();
			Planned next = this.planned.poll();
			if (next != null && next.status() == 0) {
				exchange.getResponseBody().close();
			}
			else if (next != null) {
				send(exchange, next.status(), next.body());
			}
			else if (token == null) {
				send(exchange, 401, problem(401, "operator_unauthorized"));
			}
			else if (!token.equals(TOKEN)) {
				send(exchange, 403, problem(403, "operator_forbidden"));
			}
			else if (!path.startsWith(PATH)) {
				send(exchange, 404, problem(404, "not_found"));
			}
			else if (exchange.getRequestMethod().equals("GET")) {
				send(exchange, 200, this.stored.getOrDefault(path, DEFAULTS));
			}
			else {
				JsonNode wrapped = JsonMapper.shared().readTree(body);
				String preferences = wrapped.path("preferences").stringValue();
				this.stored.put(path, preferences);
				send(exchange, 200, preferences);
			}
		}
		finally {
			this.inProgress.decrementAndGet();
		}
	}

	private void awaitRelease() {
		try {
			this.held.await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A problem detail as routing's endpoints answer it. */
	public static String problem(int status, String code) {
		return "{\"type\":\"urn:herald:problem:" + code + "\",\"title\":\"t\",\"status\":" + status
				+ ",\"detail\":\"d\",\"code\":\"" + code + "\"}";
	}

	private static void send(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		release();
		this.server.stop(0);
	}

	private record Planned(int status, String body) {
	}

	/**
	 * One request routing received.
	 *
	 * @param method the method
	 * @param path the raw path
	 * @param token the shared token it carried, or {@code null}
	 * @param body the body
	 */
	public record Request(String method, String path, @Nullable String token, String body) {
	}

}
