package io.herald.gateway;

import io.herald.events.JsonCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A WebSocket client of the gateway, as an app would be: it reads frames as JSON and
 * remembers the close code. {@link #pause()} stops reading from the socket (a client that
 * stopped reading).
 */
public final class TestSocket implements WebSocket.Listener, AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final StringBuilder partial = new StringBuilder();

	private volatile boolean paused;

	private @Nullable WebSocket socket;

	private TestSocket() {
	}

	/** Connects with the token as the {@code access_token} parameter. */
	public static TestSocket connect(int port, String token) {
		return connect(port, token, "");
	}

	/**
	 * Connects with the token as the {@code access_token} parameter and more of the query
	 * ({@code &since=4}).
	 */
	public static TestSocket connect(int port, String token, String query) {
		TestSocket client = new TestSocket();
		client.socket = HTTP.newWebSocketBuilder()
			.connectTimeout(TIMEOUT)
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws?access_token=" + token + query), client)
			.join();
		return client;
	}

	/** The HTTP status the upgrade is refused with. */
	public static int refusedStatus(int port, @Nullable String token) {
		WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		try {
			builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws"), new TestSocket()).join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
				return handshake.getResponse().statusCode();
			}
			throw ex;
		}
		return fail("the upgrade was accepted");
	}

	/** Sends a text frame. */
	public void send(String json) {
		socket().sendText(json, true).join();
	}

	/** The next frame. */
	public JsonNode next() {
		try {
			JsonNode frame = this.frames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(frame).as("a frame within %s", TIMEOUT).isNotNull();
			return frame;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The next frame, which must be of the given type. */
	public JsonNode next(String type) {
		JsonNode frame = next();
		assertThat(frame.get("type").stringValue()).as("frame %s", frame).isEqualTo(type);
		return frame;
	}

	/** Frames up to and including the first that matches, in order. */
	public List<JsonNode> until(Predicate<JsonNode> last) {
		List<JsonNode> seen = new ArrayList<>();
		JsonNode frame;
		do {
			frame = next();
			seen.add(frame);
		}
		while (!last.test(frame));
		return seen;
	}

	/** Notification seqs up to and including {@code seq}, skipping other frames. */
	public List<Long> seqsUpTo(long seq) {
		return until((frame) -> isNotification(frame) && frame.get("seq").longValue() >= seq).stream()
			.filter(TestSocket::isNotification)
			.map((frame) -> frame.get("seq").longValue())
			.toList();
	}

	/** Frames received and not read yet. */
	public List<JsonNode> drain() {
		List<JsonNode> drained = new ArrayList<>();
		this.frames.drainTo(drained);
		return drained;
	}

	public static boolean isNotification(JsonNode frame) {
		return "notification".equals(frame.get("type").stringValue());
	}

	/** The close code the server sent, waiting for it. */
	public int closeCode() {
		return this.closeCode.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
	}

	public boolean isClosed() {
		return this.closeCode.isDone();
	}

	/** Stops reading: the socket's buffers fill up and the server's writes block. */
	public void pause() {
		this.paused = true;
	}

	/** Reads again. */
	public void resume() {
		this.paused = false;
		socket().request(1);
	}

	private WebSocket socket() {
		WebSocket current = this.socket;
		if (current == null) {
			throw new IllegalStateException("not connected");
		}
		return current;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			this.frames.add(JsonCodec.MAPPER.readTree(this.partial.toString()));
			this.partial.setLength(0);
		}
		if (!this.paused) {
			webSocket.request(1);
		}
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeCode.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closeCode.complete(1006);
	}

	@Override
	public void close() {
		WebSocket current = this.socket;
		if (current != null && !current.isOutputClosed()) {
			current.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally((ex) -> null);
		}
		if (current != null) {
			current.abort();
		}
	}

}
