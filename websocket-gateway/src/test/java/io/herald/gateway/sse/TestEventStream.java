package io.herald.gateway.sse;

import io.herald.events.JsonCodec;
import io.herald.gateway.TestHttp;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An SSE client of the gateway, as a browser's {@code EventSource} reads the stream:
 * lines are parsed per the HTML standard's event stream rules (one optional space after
 * the colon, comments ignored, an event dispatched at a blank line), each event's data as
 * a JSON frame.
 */
public final class TestEventStream implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Event END = new Event(null, JsonCodec.MAPPER.createObjectNode().put("type", "end-of-stream"));

	private final HttpResponse<Stream<String>> response;

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private TestEventStream(HttpResponse<Stream<String>> response) {
		this.response = response;
		Thread.ofVirtual().name("sse-reader").start(this::read);
	}

	/** Opens a stream; the request must be one the gateway accepts. */
	public static TestEventStream open(HttpRequest.Builder request) {
		try {
			HttpResponse<Stream<String>> response = TestHttp.CLIENT
				.send(request.header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
			assertThat(response.statusCode()).as("status of the stream").isEqualTo(200);
			return new TestEventStream(response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The request a refused stream gets a problem for (the body is read whole). */
	public static TestHttp.Response refused(HttpRequest.Builder request) {
		return TestHttp.send(request.header("Accept", "text/event-stream").GET());
	}

	public String header(String name) {
		return this.response.headers().firstValue(name).orElse("");
	}

	/** The next event. */
	public Event next() {
		try {
			Event event = this.events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(event).as("an event within %s", TIMEOUT).isNotNull();
			assertThat(event).as("an event before the stream ended").isNotSameAs(END);
			return event;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The next event, whose frame must be of the given type. */
	public Event next(String type) {
		Event event = next();
		assertThat(event.type()).as("event %s", event).isEqualTo(type);
		return event;
	}

	/** Events up to and including the first that matches, in order. */
	public List<Event> until(Predicate<Event> last) {
		List<Event> seen = new ArrayList<>();
		Event event;
		do {
			event = next();
			seen.add(event);
		}
		while (!last.test(event));
		return seen;
	}

	@Override
	public void close() {
		// Cancels the body: the client drops the connection, as a closed browser tab
		// does.
		this.response.body().close();
	}

	private void read() {
		String id = null;
		StringBuilder data = null;
		try (Stream<String> lines = this.response.body()) {
			for (String line : (Iterable<String>) lines::iterator) {
				if (line.isEmpty()) {
					if (data != null) {
						this.events.add(new Event(id, JsonCodec.MAPPER.readTree(data.toString())));
					}
					id = null;
					data = null;
					continue;
				}
				if (line.startsWith(":")) {
					continue;
				}
				int colon = line.indexOf(':');
				String field = (colon < 0) ? line : line.substring(0, colon);
				String value = (colon < 0) ? "" : line.substring(colon + 1);
				value = value.startsWith(" ") ? value.substring(1) : value;
				switch (field) {
					case "id" -> id = value;
					case "data" -> data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
					default -> {
						// event, retry: not used by the gateway
					}
				}
			}
		}
		catch (RuntimeException ex) {
			// closed by close(), or by the server
		}
		finally {
			this.events.add(END);
		}
	}

	/**
	 * One event.
	 *
	 * @param id its own {@code id} field, {@code null} without one (a browser would keep
	 * the last one)
	 * @param frame its data, the frame
	 */
	public record Event(@Nullable String id, JsonNode frame) {

		public String type() {
			return this.frame.get("type").stringValue();
		}

		/**
		 * Whether the event carries a seq: a {@code notification} or a {@code retracted}
		 * frame.
		 */
		public boolean isNotification() {
			return "notification".equals(type()) || "retracted".equals(type());
		}

		public long seq() {
			return this.frame.get("seq").longValue();
		}

	}

}
