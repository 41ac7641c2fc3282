package io.herald.ingestion.template;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How ingestion reads the template catalog.
 *
 * @param syncTimeout how long a request with an event naming a template waits for the
 * catalog to read every template change acknowledged before it (one request to the
 * broker, shared by concurrent requests); past it, the event is checked against what was
 * read
 */
@Validated
@ConfigurationProperties("herald.ingestion.templates")
record TemplateCatalogProperties(@DefaultValue("2s") @NotNull Duration syncTimeout) {
}
