package io.herald.routing.template;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the notification templates come from. They are loaded once, at startup, and published
 * to the template catalog topic before the service reports ready.
 *
 * @param directory a directory holding one sub-directory per template id; when unset, the
 * templates packaged in the service under {@code classpath:templates/}
 * @param publishTimeout how long one attempt to publish the catalog may take (reading the topic,
 * then every write acknowledged); a failed attempt is retried until it succeeds
 */
@ConfigurationProperties("herald.routing.templates")
record TemplateProperties(@Nullable Path directory, @DefaultValue("30s") Duration publishTimeout) {
}
