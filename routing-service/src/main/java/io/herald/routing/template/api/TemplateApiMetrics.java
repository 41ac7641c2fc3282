package io.herald.routing.template.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Locale;

/**
 * The template API's meters: {@code herald.routing.template.writes} by {@code operation}
 * ({@code put}, {@code delete}) and {@code outcome} ({@code created}, {@code updated},
 * {@code unchanged}, {@code deleted}, {@code precondition_failed},
 * {@code too_many_templates}, {@code not_found}, {@code invalid}, {@code pending}:
 * durable but not yet decided or in force, {@code unavailable}: the command log did not
 * acknowledge), and {@code herald.routing.template.write.duration} by {@code operation},
 * a histogram of the time from the request to its answer. Renders, previews included, are
 * counted by {@code io.herald.routing.template.Templates}.
 */
@Component
class TemplateApiMetrics {

	private final MeterRegistry registry;

	TemplateApiMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Counts a write's outcome and times it from its start. */
	void written(Operation operation, String outcome, long startNanos) {
		Counter.builder("herald.routing.template.writes")
			.description("Template writes, by operation and outcome")
			.tag("operation", operation.tag())
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
		Timer.builder("herald.routing.template.write.duration")
			.description("Time from a template write's request to its answer")
			.tag("operation", operation.tag())
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(this.registry)
			.record(Duration.ofNanos(System.nanoTime() - startNanos));
	}

	/** What a write does. */
	enum Operation {

		PUT, DELETE;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
