package io.herald.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.infra.TopicContents;
import io.herald.infra.otlp.OtlpReceiver;
import io.herald.infra.otlp.ReceivedSpan;
import io.herald.localstack.LocalStack;
import io.herald.localstack.LocalStackSettings;
import io.herald.localstack.Service;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace from a product service's request to the provider and the user's screen, on
 * the real stack with the packaged services exporting to a local OTLP receiver: the W3C
 * trace context goes through every Kafka hop (ingestion, routing, delivery, the gateway's
 * inbox) and Redis Pub/Sub (the gateway's live push), each stage adds a span of its own
 * as the child of the record it handles, the exported spans form that tree, and every
 * service logs the trace id. An unsampled trace travels the same way with nothing
 * exported. A stage that dropped or copied the context instead of continuing it breaks a
 * link checked here.
 * <p>
 * It runs first ({@link #ORDER}): the run's first stack is the training run of every
 * service's AOT cache (docs/adr/042-aot-cache-trained-by-the-first-run.md), and this
 * short one makes it so that the chaos suites start their services, and restart the ones
 * they kill, from the caches.
 */
@Order(TracingIntegrationTests.ORDER)
class TracingIntegrationTests {

	/** Before the classes without an {@link Order}, the chaos suites among them. */
	static final int ORDER = Order.DEFAULT - 1;

	private static final Pattern EVENT_ID = Pattern.compile("\"eventId\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path data;

	@Test
	void aTraceRunsFromTheRequestThroughEveryStageWithASpanPerStageAndIntoEveryLog() throws Exception {
		LocalStackSettings settings = TestStacks.onFreePorts(this.data, "ingestion", "routing", "gateway", "delivery");
		Service ingestion = settings.service("ingestion");
		Service routing = settings.service("routing");
		Service gateway = settings.service("gateway");
		String sampled = newTraceId();
		String unsampled = newTraceId();
		String clientSpan = newSpanId();
		try (OtlpReceiver collector = OtlpReceiver.start(); LocalStack stack = TestStacks.stack(settings)) {
			for (Service service : settings.services()) {
				// The sampling probability stays at its default: the client's sampled
				// flag decides.
				stack.environment(service.name(),
						Map.of("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", collector.url(),
								"MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULEDELAY", "200ms",
								"LOGGING_LEVEL_IO_HERALD", "DEBUG"));
			}
			stack.start();
			assertThat(put(routing.url() + "/v1/users/ada", """
					{"email": "ada@example.com"}""").statusCode()).isIn(200, 202);
			await().atMost(TIMEOUT)
				.untilAsserted(
						() -> assertThat(get(routing.url() + "/v1/users/ada").body()).contains("ada@example.com"));
			Inbox inbox = Inbox.open(gateway, "ada");

			// Not sampled first: had any stage exported its spans, they would reach the
			// receiver before those of the sampled trace that follows.
			String quiet = publish(ingestion, "00-" + unsampled + "-" + clientSpan + "-00");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(statuses(stack, quiet)).hasSize(2));
			inbox.next("notification");
			Stages quietStages = stages(stack, quiet, unsampled, "00");

			String eventId = publish(ingestion, "00-" + sampled + "-" + clientSpan + "-01");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(statuses(stack, eventId)).hasSize(2));
			assertThat(inbox.next("notification")).contains(eventId);
			Stages stages = stages(stack, eventId, sampled, "01");

			assertThat(List.of(clientSpan, stages.ingestion(), stages.routing(), stages.send(), stages.append()))
				.doesNotHaveDuplicates();
			await().atMost(TIMEOUT).untilAsserted(() -> {
				List<ReceivedSpan> trace = collector.trace(sampled);
				// The event's record carries the request's span: the client's child.
				ReceivedSpan publish = span(trace, "ingestion-service", stages.ingestion());
				assertThat(publish.parentSpanId()).isEqualTo(clientSpan);
				ReceivedSpan route = span(trace, "routing-service", stages.routing());
				assertThat(route.name()).isEqualTo("herald.route");
				assertThat(route.parentSpanId()).isEqualTo(stages.ingestion());
				ReceivedSpan send = span(trace, "delivery-service", stages.send());
				assertThat(send.name()).isEqualTo("herald.delivery.send");
				assertThat(send.attributes()).containsEntry("herald.channel", "email")
					.containsEntry("herald.provider", "smtp-sandbox")
					.containsEntry("herald.outcome", "sent");
				ReceivedSpan request = span(trace, "delivery-service", send.parentSpanId());
				assertThat(request.name()).isEqualTo("herald.delivery");
				assertThat(request.parentSpanId()).isEqualTo(stages.routing());
				assertThat(request.attributes()).containsEntry("herald.outcome", "done");
				ReceivedSpan append = span(trace, "websocket-gateway", stages.append());
				assertThat(append.name()).isEqualTo("herald.inbox.append");
				assertThat(append.parentSpanId()).isEqualTo(stages.routing());
				assertThat(append.attributes()).containsEntry("herald.outcome", "appended");
				assertThat(trace).filteredOn((span) -> span.name().equals("herald.live.push"))
					.singleElement()
					.satisfies((push) -> assertThat(push.parentSpanId()).isEqualTo(stages.append()));
			});
			assertThat(collector.trace(unsampled)).isEmpty();
			assertThat(quietStages.ingestion()).isNotEqualTo(clientSpan);
			inbox.close();
		}
		for (String log : List.of("ingestion-service", "routing-service", "delivery-service", "websocket-gateway")) {
			String text = Files.readString(settings.logDirectory().resolve(log + ".log"));
			assertThat(text).as(log).contains("[" + sampled + "-").contains("[" + unsampled + "-");
		}
	}

	/**
	 * The span ids the stages wrote on the records of one event: its record on
	 * {@code herald.events} (ingestion), its lane records (routing, one span for both
	 * channels of its one user), the email's {@code sent} status (delivery's send) and
	 * the in-app {@code delivered} status (the gateway's append). Each record must
	 * continue the trace with the expected sampled flag.
	 */
	private static Stages stages(LocalStack stack, String eventId, String traceId, String flags) {
		String bootstrap = stack.kafkaBootstrapServers();
		String ingestion = spanOf(only(TopicContents.readAll(bootstrap, Topics.EVENTS.name()), eventId), traceId,
				flags);
		String email = spanOf(
				only(TopicContents.readAll(bootstrap, Topics.deliver(Channel.EMAIL, Lane.PRIORITY).name()), eventId),
				traceId, flags);
		String inApp = spanOf(
				only(TopicContents.readAll(bootstrap, Topics.deliver(Channel.INAPP, Lane.PRIORITY).name()), eventId),
				traceId, flags);
		assertThat(inApp).isEqualTo(email);
		Map<DeliveryState, ConsumerRecord<String, byte[]>> statuses = statuses(stack, eventId);
		String send = spanOf(statuses.get(DeliveryState.SENT), traceId, flags);
		String append = spanOf(statuses.get(DeliveryState.DELIVERED), traceId, flags);
		return new Stages(ingestion, email, send, append);
	}

	/**
	 * The email's {@code sent} and the in-app {@code delivered} status records of an
	 * event, once written.
	 */
	private static Map<DeliveryState, ConsumerRecord<String, byte[]>> statuses(LocalStack stack, String eventId) {
		Map<DeliveryState, ConsumerRecord<String, byte[]>> found = new HashMap<>();
		for (ConsumerRecord<String, byte[]> record : TopicContents.readAll(stack.kafkaBootstrapServers(),
				Topics.STATUS.name())) {
			if (!record.key().equals("demo|" + eventId)) {
				continue;
			}
			StatusReported status = Topics.STATUS.codec().decode(record.value());
			if ((status.channel() == Channel.EMAIL && status.state() == DeliveryState.SENT)
					|| (status.channel() == Channel.INAPP && status.state() == DeliveryState.DELIVERED)) {
				found.put(status.state(), record);
			}
		}
		return found;
	}

	private static ConsumerRecord<String, byte[]> only(List<ConsumerRecord<String, byte[]>> records, String eventId) {
		List<ConsumerRecord<String, byte[]>> matching = records.stream()
			.filter((record) -> new String(record.value(), StandardCharsets.UTF_8).contains(eventId))
			.toList();
		assertThat(matching).hasSize(1);
		return matching.get(0);
	}

	private static String spanOf(ConsumerRecord<String, byte[]> record, String traceId, String flags) {
		String header = HeaderNames.lastValue(record.headers(), HeaderNames.TRACEPARENT);
		assertThat(header).as("traceparent on %s", record.topic()).isNotNull();
		Matcher matcher = TRACEPARENT.matcher(header);
		assertThat(matcher.matches()).as(header).isTrue();
		assertThat(matcher.group(1)).as("trace id on %s", record.topic()).isEqualTo(traceId);
		assertThat(matcher.group(3)).as("flags on %s", record.topic()).isEqualTo(flags);
		return matcher.group(2);
	}

	private static ReceivedSpan span(List<ReceivedSpan> trace, String service, String spanId) {
		Optional<ReceivedSpan> span = trace.stream()
			.filter((candidate) -> candidate.spanId().equals(spanId))
			.findFirst();
		assertThat(span).as("span %s of %s", spanId, service).isPresent();
		assertThat(span.get().service()).isEqualTo(service);
		return span.get();
	}

	private String publish(Service ingestion, String traceparent) throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create(ingestion.url() + "/v1/events"))
				.header("Authorization", "Bearer demo-key")
				.header("Content-Type", "application/json")
				.header(HeaderNames.TRACEPARENT, traceparent)
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"type": "order.shipped", "recipients": {"users": ["ada"]}, "priority": "high",
						 "channels": ["email", "inapp"], "content": {"title": "Shipped", "body": "On its way"}}"""))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(202);
		Matcher matcher = EVENT_ID.matcher(response.body());
		assertThat(matcher.find()).as(response.body()).isTrue();
		return matcher.group(1);
	}

	private HttpResponse<String> put(String url, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer demo-key")
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.http.send(
				HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer demo-key").build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static String newTraceId() {
		byte[] id = new byte[16];
		ThreadLocalRandom.current().nextBytes(id);
		return HexFormat.of().formatHex(id);
	}

	private static String newSpanId() {
		byte[] id = new byte[8];
		ThreadLocalRandom.current().nextBytes(id);
		return HexFormat.of().formatHex(id);
	}

	/** The span ids of an event's records, by the stage that wrote them. */
	private record Stages(String ingestion, String routing, String send, String append) {
	}

	/** A WebSocket session of one user, live after an empty {@code resume}. */
	private static final class Inbox implements AutoCloseable {

		private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

		private WebSocket socket;

		static Inbox open(Service gateway, String userId) throws Exception {
			Inbox inbox = new Inbox();
			inbox.socket = DemoUserSocket.open(HttpClient.newHttpClient(), gateway, userId,
					(socket, frame) -> inbox.frames.add(frame));
			inbox.next("hello");
			inbox.socket.sendText("{\"type\":\"resume\",\"since\":0}", true).get(10, TimeUnit.SECONDS);
			inbox.next("resumed");
			return inbox;
		}

		/** The next frame of a type, skipping others. */
		String next(String type) throws InterruptedException {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				String frame = this.frames.poll(1, TimeUnit.SECONDS);
				if (frame != null && frame.contains("\"type\":\"" + type + "\"")) {
					return frame;
				}
			}
			throw new AssertionError("no " + type + " frame within " + TIMEOUT);
		}

		@Override
		public void close() {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
		}

	}

}
