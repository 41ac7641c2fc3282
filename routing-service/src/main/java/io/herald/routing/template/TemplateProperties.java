package io.herald.routing.template;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Where the notification templates come from. They are loaded once, at startup.
 *
 * @param directory a directory holding one sub-directory per template id; when unset, the
 * templates packaged in the service under {@code classpath:templates/}
 */
@ConfigurationProperties("herald.routing.templates")
record TemplateProperties(@Nullable Path directory) {
}
