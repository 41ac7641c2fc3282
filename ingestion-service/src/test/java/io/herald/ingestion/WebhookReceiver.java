package io.herald.ingestion;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on 127.0.0.1, as a tenant would run one, with the JDK's HTTP server:
 * it verifies each call's signature against the endpoint's secret as the Standard
 * Webhooks specification says (and rejects timestamps outside a five-minute window),
 * records every call, and answers as each path is told: {@code /ok/...} 200,
 * {@code /flaky/...} 500 to the first two tries of a webhook id and then 200,
 * {@code /failing/...} always 500, {@code /bad/...} 400, {@code /gone/...} 410,
 * {@code /slow/...} only once {@link #release()} is called.
 */
public final class WebhookReceiver implements AutoCloseable {

	/** How far a call's timestamp may be from now, as receivers are told to check. */
	static final long TOLERANCE_SECONDS = 300;

	private final HttpServer server;

	private final Map<String, String> secrets = new ConcurrentHashMap<>();

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicInteger> triesById = new ConcurrentHashMap<>();

	private final AtomicInteger held = new AtomicInteger();

	private final CountDownLatch released = new CountDownLatch(1);

	public WebhookReceiver() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** The URL of a path on this receiver. */
	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/** Tells the receiver the secret of the endpoint at a path. */
	public void secret(String path, String secret) {
		this.secrets.put(path, secret);
	}

	/** Every call to a path so far, in order of arrival. */
	public List<Call> calls(String path) {
		return this.calls.stream().filter((call) -> call.path().equals(path)).toList();
	}

	/** Calls held by {@code /slow/...} now. */
	public int held() {
		return this.held.get();
	}

	/** Lets every held call and every later one to {@code /slow/...} be answered. */
	public void release() {
		this.released.countDown();
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		String id = exchange.getRequestHeaders().getFirst("webhook-id");
		String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
		String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
		boolean valid = verify(this.secrets.get(path), id, timestamp, signature, body);
		this.calls.add(new Call(path, id, body, valid));
		int tries = this.triesById.computeIfAbsent(path + id, (key) -> new AtomicInteger()).incrementAndGet();
		int status;
		if (!valid) {
			status = 401;
		}
		else if (path.startsWith("/slow/")) {
			this.held.incrementAndGet();
			try {
				this.released.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.held.decrementAndGet();
			}
			status = 200;
		}
		else if (path.startsWith("/flaky/")) {
			status = (tries <= 2) ? 500 : 200;
		}
		else if (path.startsWith("/failing/")) {
			status = 500;
		}
		else if (path.startsWith("/bad/")) {
			status = 400;
		}
		else if (path.startsWith("/gone/")) {
			status = 410;
		}
		else {
			status = 200;
		}
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

	/**
	 * Verifies a call as a receiver should: a known secret, a recent timestamp, a
	 * matching signature.
	 */
	static boolean verify(String secret, String id, String timestamp, String signatures, String body) {
		if (secret == null || id == null || timestamp == null || signatures == null) {
			return false;
		}
		long seconds = Long.parseLong(timestamp);
		if (Math.abs(Instant.now().getEpochSecond() - seconds) > TOLERANCE_SECONDS) {
			return false;
		}
		byte[] expected = hmac(secret, id + "." + timestamp + "." + body);
		for (String signature : signatures.split(" ")) {
			if (signature.startsWith("v1,")
					&& MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
				return true;
			}
		}
		return false;
	}

	private static byte[] hmac(String secret, String content) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
			return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		release();
		this.server.stop(0);
	}

	/**
	 * One call as received.
	 *
	 * @param valid whether its signature and timestamp verified
	 */
	public record Call(String path, String id, String body, boolean valid) {
	}

}
