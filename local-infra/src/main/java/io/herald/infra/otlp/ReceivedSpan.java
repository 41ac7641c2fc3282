package io.herald.infra.otlp;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One span as an OTLP exporter sent it.
 *
 * @param service the {@code service.name} of the resource that exported it
 * @param traceId the trace id, 32 lower-case hex digits
 * @param spanId the span id, 16 lower-case hex digits
 * @param parentSpanId the parent's span id, {@code null} for a root span
 * @param name the span's name
 * @param attributes its attributes, every value as text
 */
public record ReceivedSpan(String service, String traceId, String spanId, @Nullable String parentSpanId, String name,
		Map<String, String> attributes) {

	/** The value of an attribute, {@code null} if the span has none of that name. */
	public @Nullable String attribute(String key) {
		return this.attributes.get(key);
	}

}
