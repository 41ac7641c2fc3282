package io.herald.support.tracing;

import io.herald.events.HeaderNames;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Continues the W3C trace context that Herald's records carry in their
 * {@code traceparent} header, where Spring's observations do not: in Kafka Streams, in
 * batch listeners whose batches mix many traces, and across Redis Pub/Sub. A stage starts
 * a span as the child of the record it handles ({@link #start(String, Headers)}) and
 * writes that span's context on every record the work causes
 * ({@link #inject(Span, Headers)}), so each stage appears in the trace with a span of its
 * own.
 *
 * <p>
 * Propagation does not depend on sampling: a span that is not sampled still has ids of
 * its own and writes a {@code traceparent} with the sampled flag off, so the next stage
 * continues the same trace and makes the same decision (the sampler follows the parent).
 * Only sampled spans are exported.
 */
public class RecordTracing {

	private static final Propagator.Getter<Headers> HEADERS = HeaderNames::lastValue;

	private static final Propagator.Setter<Headers> SET_HEADER = (headers, name, value) -> {
		if (headers != null) {
			headers.remove(name);
			headers.add(name, value.getBytes(StandardCharsets.UTF_8));
		}
	};

	private static final Propagator.Setter<Map<String, String>> PUT = (map, name, value) -> {
		if (map != null) {
			map.put(name, value);
		}
	};

	private final Tracer tracer;

	private final Propagator propagator;

	/**
	 * @param tracer creates spans
	 * @param propagator reads and writes the W3C trace context
	 */
	public RecordTracing(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	/**
	 * Starts a span that continues the trace of a record: the child of its
	 * {@code traceparent}, or the root of a new trace when it carries none. The span is
	 * not in scope; end it.
	 */
	public Span start(String name, Headers headers) {
		return this.propagator.extract(headers, HEADERS).name(name).kind(Span.Kind.CONSUMER).start();
	}

	/**
	 * As {@link #start(String, Headers)}, for a context carried as a {@code traceparent}
	 * text.
	 */
	public Span start(String name, @Nullable String traceparent) {
		Headers headers = new RecordHeaders();
		if (traceparent != null) {
			headers.add(HeaderNames.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
		}
		return start(name, headers);
	}

	/** Starts a child of {@code parent}, not in scope; end it. */
	public Span startChild(String name, Span parent) {
		return this.tracer.nextSpan(parent).name(name).start();
	}

	/**
	 * Makes the span the current one on this thread until the scope closes, so that what
	 * is logged meanwhile carries its trace and span ids.
	 */
	public Tracer.SpanInScope inScope(Span span) {
		return this.tracer.withSpan(span);
	}

	/**
	 * Writes the span's context on a record, replacing what the record carried before.
	 */
	public void inject(Span span, Headers headers) {
		this.propagator.inject(span.context(), headers, SET_HEADER);
	}

	/**
	 * Writes the context of the span current on this thread on a record, so the next
	 * stage continues the trace where this thread is in it, without a span per record of
	 * its own. With no span current the record starts a trace: a span named
	 * {@code nameIfNone}, ended at once.
	 */
	public void injectCurrent(Headers headers, String nameIfNone) {
		Span current = this.tracer.currentSpan();
		if (current != null) {
			inject(current, headers);
			return;
		}
		Span root = this.tracer.nextSpan().name(nameIfNone).start();
		inject(root, headers);
		root.end();
	}

	/** Headers that carry nothing but the span's context. */
	public Headers headers(Span span) {
		Headers headers = new RecordHeaders();
		inject(span, headers);
		return headers;
	}

	/**
	 * The span's context as a {@code traceparent} text, for carriers other than Kafka
	 * headers; {@code null} when the tracer writes none (tracing off).
	 */
	public @Nullable String traceparent(Span span) {
		Map<String, String> fields = new HashMap<>();
		this.propagator.inject(span.context(), fields, PUT);
		return fields.get(HeaderNames.TRACEPARENT);
	}

}
