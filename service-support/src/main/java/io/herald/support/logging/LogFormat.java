package io.herald.support.logging;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the log format of a service from {@code HERALD_LOG_FORMAT} (property
 * {@code herald.log.format}), before the logging system starts: {@code text} (the
 * default) keeps Spring Boot's lines, {@code json} switches the console to Spring Boot's
 * structured logging in Elastic Common Schema, one JSON object per line with the
 * service's name and, inside a span, its {@code traceId} and {@code spanId}. {@code ecs},
 * {@code logstash} and {@code gelf} name a structured format directly. A
 * {@code logging.structured.format.console} set by the operator wins.
 */
public final class LogFormat implements EnvironmentPostProcessor {

	/** The property, as {@code HERALD_LOG_FORMAT} in the environment. */
	public static final String PROPERTY = "herald.log.format";

	static final String CONSOLE_FORMAT = "logging.structured.format.console";

	private static final Map<String, String> STRUCTURED = Map.of("json", "ecs", "ecs", "ecs", "logstash", "logstash",
			"gelf", "gelf");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String format = environment.getProperty(PROPERTY, "text").trim().toLowerCase(Locale.ROOT);
		if (format.isEmpty() || format.equals("text")) {
			return;
		}
		String structured = STRUCTURED.get(format);
		if (structured == null) {
			throw new IllegalArgumentException("HERALD_LOG_FORMAT is '" + environment.getProperty(PROPERTY)
					+ "'; use text (the default), json, ecs, logstash or gelf");
		}
		if (environment.containsProperty(CONSOLE_FORMAT)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("heraldLogFormat", Map.of(CONSOLE_FORMAT, structured)));
	}

}
