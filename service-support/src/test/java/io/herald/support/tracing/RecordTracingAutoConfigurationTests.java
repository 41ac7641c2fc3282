package io.herald.support.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RecordTracingAutoConfigurationTests {

	private final SdkTracerProvider provider = SdkTracerProvider.builder().build();

	private final OtelTracer tracer = new OtelTracer(this.provider.get("herald-test"), new OtelCurrentTraceContext(),
			(event) -> {
			});

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RecordTracingAutoConfiguration.class));

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void recordsCarryTheTraceContextOfTheServicesTracer() {
		OtelPropagator propagator = new OtelPropagator(
				ContextPropagators.create(W3CTraceContextPropagator.getInstance()), this.provider.get("herald-test"));
		this.contexts.withBean(Tracer.class, () -> this.tracer)
			.withBean(Propagator.class, () -> propagator)
			.run((context) -> {
				RecordTracing tracing = context.getBean(RecordTracing.class);
				Span span = tracing.start("stage", (String) null);
				assertThat(tracing.traceparent(span)).startsWith("00-" + span.context().traceId() + "-");
				span.end();
			});
	}

	@Test
	void withoutAPropagatorRecordsCarryNoContext() {
		this.contexts.withBean(Tracer.class, () -> this.tracer).run((context) -> {
			RecordTracing tracing = context.getBean(RecordTracing.class);
			Span span = tracing.start("stage", (String) null);
			assertThat(tracing.traceparent(span)).isNull();
			span.end();
		});
	}

	@Test
	void aRecordTracingOfTheServiceWins() {
		RecordTracing own = new RecordTracing(Tracer.NOOP, Propagator.NOOP);
		this.contexts.withBean(Tracer.class, () -> this.tracer)
			.withBean(RecordTracing.class, () -> own)
			.run((context) -> assertThat(context).getBean(RecordTracing.class).isSameAs(own));
	}

	@Test
	void withoutATracerNothing() {
		this.contexts.run((context) -> assertThat(context).doesNotHaveBean(RecordTracing.class));
	}

}
