package io.herald.routing;

import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * A real tracer for topology tests: every root sampled, children as their parent,
 * exporting nowhere, and propagating the W3C trace context as the services do.
 */
public final class TestTracing implements AutoCloseable {

	private final SdkTracerProvider provider = SdkTracerProvider.builder()
		.setSampler(Sampler.parentBased(Sampler.alwaysOn()))
		.build();

	private final RecordTracing tracing;

	public TestTracing() {
		io.opentelemetry.api.trace.Tracer otel = this.provider.get("routing-test");
		OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), (event) -> {
		});
		this.tracing = new RecordTracing(tracer,
				new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));
	}

	/** The record tracing of this tracer. */
	public RecordTracing tracing() {
		return this.tracing;
	}

	@Override
	public void close() {
		this.provider.close();
	}

}
