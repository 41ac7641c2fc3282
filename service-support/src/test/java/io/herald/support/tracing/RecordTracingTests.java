package io.herald.support.tracing;

import io.herald.events.HeaderNames;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RecordTracingTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String PARENT_ID = "00f067aa0ba902b7";

	private SdkTracerProvider provider;

	@AfterEach
	void close() {
		if (this.provider != null) {
			this.provider.close();
		}
	}

	@Test
	void continuesTheTraceOfTheRecordWithASpanOfItsOwn() {
		RecordTracing tracing = tracing(Sampler.parentBased(Sampler.alwaysOff()));
		Span span = tracing.start("stage", record("00-" + TRACE_ID + "-" + PARENT_ID + "-01"));
		Headers out = tracing.headers(span);
		span.end();

		assertThat(HeaderNames.lastValue(out, HeaderNames.TRACEPARENT)).startsWith("00-" + TRACE_ID + "-")
			.endsWith("-01")
			.doesNotContain(PARENT_ID);
	}

	@Test
	void propagatesAnUnsampledTraceWithASpanOfItsOwnAndTheSampledFlagOff() {
		RecordTracing tracing = tracing(Sampler.parentBased(Sampler.alwaysOn()));
		Span span = tracing.start("stage", record("00-" + TRACE_ID + "-" + PARENT_ID + "-00"));
		String traceparent = tracing.traceparent(span);
		span.end();

		assertThat(traceparent).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-00").doesNotContain(PARENT_ID);
	}

	@Test
	void startsANewTraceForARecordWithoutContext() {
		RecordTracing tracing = tracing(Sampler.alwaysOff());
		Span span = tracing.start("stage", new RecordHeaders());

		// The flags may also say that the new trace id is random (W3C Trace Context level
		// 2).
		assertThat(tracing.traceparent(span)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]")
			.doesNotContain("00000000000000000000000000000000");
	}

	@Test
	void replacesTheContextARecordCarriedBefore() {
		RecordTracing tracing = tracing(Sampler.alwaysOn());
		Headers headers = record("00-" + TRACE_ID + "-" + PARENT_ID + "-01");
		Span span = tracing.start("stage", headers);
		tracing.inject(span, headers);

		assertThat(headers.headers(HeaderNames.TRACEPARENT)).hasSize(1);
		assertThat(HeaderNames.lastValue(headers, HeaderNames.TRACEPARENT)).contains(span.context().spanId());
	}

	@Test
	void aChildContinuesTheTraceOfItsParent() {
		RecordTracing tracing = tracing(Sampler.alwaysOn());
		Span parent = tracing.start("stage", record("00-" + TRACE_ID + "-" + PARENT_ID + "-01"));
		Span child = tracing.startChild("step", parent);

		assertThat(child.context().traceId()).isEqualTo(TRACE_ID);
		assertThat(child.context().parentId()).isEqualTo(parent.context().spanId());
	}

	@Test
	void aTextContextIsContinuedLikeAHeader() {
		RecordTracing tracing = tracing(Sampler.alwaysOn());
		Span span = tracing.start("stage", "00-" + TRACE_ID + "-" + PARENT_ID + "-01");

		assertThat(span.context().traceId()).isEqualTo(TRACE_ID);
		assertThat(span.context().parentId()).isEqualTo(PARENT_ID);
	}

	private RecordTracing tracing(Sampler sampler) {
		this.provider = SdkTracerProvider.builder().setSampler(sampler).build();
		io.opentelemetry.api.trace.Tracer otel = this.provider.get("test");
		OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), (event) -> {
		});
		return new RecordTracing(tracer,
				new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));
	}

	private static Headers record(String traceparent) {
		Headers headers = new RecordHeaders();
		headers.add(HeaderNames.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
		return headers;
	}

}
