package io.herald.infra.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * A receiver of spans over OTLP/HTTP with protobuf bodies (the OpenTelemetry SDK's
 * default transport), on {@code 127.0.0.1}: point an exporter at {@link #url()} and read
 * {@link #spans()}. It answers every export with success and decodes the spans of each
 * {@code ExportTraceServiceRequest}: ids, parent, name, attributes and the exporting
 * resource's {@code service.name}.
 */
public final class OtlpReceiver implements AutoCloseable {

	private static final String LOOPBACK = "127.0.0.1";

	private static final String TRACES_PATH = "/v1/traces";

	private static final HexFormat HEX = HexFormat.of();

	private final HttpServer server;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

	private final AtomicInteger requests = new AtomicInteger();

	private OtlpReceiver(HttpServer server) {
		this.server = server;
	}

	/**
	 * Starts a receiver on a free port.
	 * @throws UncheckedIOException if no port can be bound
	 */
	public static OtlpReceiver start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
			OtlpReceiver receiver = new OtlpReceiver(server);
			server.setExecutor(receiver.executor);
			server.createContext("/", receiver::handle);
			server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not bind " + LOOPBACK + ": " + ex.getMessage(), ex);
		}
	}

	/** Where exporters send spans: {@code http://127.0.0.1:<port>/v1/traces}. */
	public String url() {
		return "http://" + LOOPBACK + ":" + this.server.getAddress().getPort() + TRACES_PATH;
	}

	/** Every span received so far, in the order they arrived. */
	public List<ReceivedSpan> spans() {
		return List.copyOf(this.spans);
	}

	/** The spans of one trace received so far. */
	public List<ReceivedSpan> trace(String traceId) {
		return this.spans.stream().filter((span) -> span.traceId().equals(traceId)).toList();
	}

	/** How many export requests arrived. */
	public int requests() {
		return this.requests.get();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!exchange.getRequestMethod().equals("POST")
					|| !exchange.getRequestURI().getPath().equals(TRACES_PATH)) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			byte[] body;
			try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
					? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			try {
				this.spans.addAll(decode(body));
			}
			catch (RuntimeException ex) {
				exchange.sendResponseHeaders(400, -1);
				return;
			}
			this.requests.incrementAndGet();
			// An empty ExportTraceServiceResponse: every span accepted.
			exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, -1);
		}
	}

	/** The spans of an {@code ExportTraceServiceRequest}. */
	static List<ReceivedSpan> decode(byte[] request) {
		List<ReceivedSpan> spans = new ArrayList<>();
		Protobuf.fields(request, (number, value) -> {
			if (number == 1) {
				resourceSpans((byte[]) value, spans);
			}
		});
		return spans;
	}

	private static void resourceSpans(byte[] message, List<ReceivedSpan> spans) {
		Map<String, String> resource = new LinkedHashMap<>();
		List<byte[]> scopeSpans = new ArrayList<>();
		Protobuf.fields(message, (number, value) -> {
			if (number == 1) {
				Protobuf.fields((byte[]) value, (field, attribute) -> {
					if (field == 1) {
						keyValue((byte[]) attribute, resource);
					}
				});
			}
			else if (number == 2) {
				scopeSpans.add((byte[]) value);
			}
		});
		String service = resource.getOrDefault("service.name", "");
		for (byte[] scope : scopeSpans) {
			Protobuf.fields(scope, (number, value) -> {
				if (number == 2) {
					spans.add(span(service, (byte[]) value));
				}
			});
		}
	}

	private static ReceivedSpan span(String service, byte[] message) {
		String[] ids = new String[3];
		String[] name = { "" };
		Map<String, String> attributes = new LinkedHashMap<>();
		Protobuf.fields(message, (number, value) -> {
			switch (number) {
				case 1 -> ids[0] = HEX.formatHex((byte[]) value);
				case 2 -> ids[1] = HEX.formatHex((byte[]) value);
				case 4 -> ids[2] = HEX.formatHex((byte[]) value);
				case 5 -> name[0] = new String((byte[]) value, StandardCharsets.UTF_8);
				case 9 -> keyValue((byte[]) value, attributes);
				default -> {
				}
			}
		});
		if (ids[0] == null || ids[1] == null) {
			throw new IllegalArgumentException("a span without trace or span id");
		}
		String parent = (ids[2] == null || ids[2].isEmpty()) ? null : ids[2];
		return new ReceivedSpan(service, ids[0], ids[1], parent, name[0], Map.copyOf(attributes));
	}

	/**
	 * Adds a {@code KeyValue} whose value is a string, bool, int or double to the map, as
	 * text.
	 */
	private static void keyValue(byte[] message, Map<String, String> into) {
		String[] key = { null };
		String[] text = { null };
		Protobuf.fields(message, (number, value) -> {
			if (number == 1) {
				key[0] = new String((byte[]) value, StandardCharsets.UTF_8);
			}
			else if (number == 2) {
				text[0] = anyValue((byte[]) value);
			}
		});
		if (key[0] != null && text[0] != null) {
			into.put(key[0], text[0]);
		}
	}

	private static @Nullable String anyValue(byte[] message) {
		String[] text = { null };
		Protobuf.fields(message, (number, value) -> {
			switch (number) {
				case 1 -> text[0] = new String((byte[]) value, StandardCharsets.UTF_8);
				case 2 -> text[0] = Boolean.toString((Long) value != 0);
				case 3 -> text[0] = Long.toString((Long) value);
				case 4 -> text[0] = Double.toString(Double.longBitsToDouble((Long) value));
				default -> {
				}
			}
		});
		return text[0];
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
