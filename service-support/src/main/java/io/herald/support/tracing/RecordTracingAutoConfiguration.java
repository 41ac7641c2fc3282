package io.herald.support.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link RecordTracing} on the service's {@link Tracer}. Without a {@link Propagator} (a
 * tracer that propagates nothing) records carry no trace context, and each stage starts
 * traces of its own.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration")
@ConditionalOnClass(Tracer.class)
@ConditionalOnBean(Tracer.class)
public final class RecordTracingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RecordTracing recordTracing(Tracer tracer, ObjectProvider<Propagator> propagator) {
		return new RecordTracing(tracer, propagator.getIfAvailable(() -> Propagator.NOOP));
	}

}
