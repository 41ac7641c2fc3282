package io.herald.routing.template;

import io.herald.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;

/**
 * Publishes the template catalog as the application starts, before it reports ready: an
 * {@link ApplicationRunner} runs after the application has started and before readiness
 * turns to accepting traffic. While the broker cannot take the catalog, the start waits
 * and retries, so a routing instance that reports ready has published the templates it
 * renders.
 */
@Configuration(proxyBeanMethods = false)
class TemplateCatalogConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(TemplateCatalogConfiguration.class);

	/** The longest pause between two attempts to publish the catalog. */
	private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(10);

	@Bean
	TemplateCatalogPublisher templateCatalogPublisher(MustacheTemplateCatalog catalog, TemplateProperties properties,
			KafkaTemplate<String, byte[]> kafka, KafkaProperties kafkaProperties) {
		return new TemplateCatalogPublisher(Topics.TEMPLATES.name(), catalog.definitions(), kafka,
				kafkaProperties.buildConsumerProperties(), properties.publishTimeout());
	}

	@Bean
	ApplicationRunner templateCatalogPublication(TemplateCatalogPublisher publisher) {
		return (arguments) -> {
			Duration pause = Duration.ofMillis(500);
			while (true) {
				try {
					TemplateCatalogPublisher.Published published = publisher.publish();
					logger.info("Published the template catalog {} to {}: written {}, removed {}", published.defined(),
							Topics.TEMPLATES.name(), published.written(), published.removed());
					return;
				}
				catch (TemplateCatalogPublisher.CatalogNotPublishedException ex) {
					logger.warn("Template catalog not published yet, retrying in {} ms: {}", pause.toMillis(),
							ex.getMessage());
				}
				// A pause between attempts at startup, not a wait for a test: nothing
				// else can be done until the broker takes the catalog.
				Thread.sleep(pause);
				pause = (pause.compareTo(MAX_RETRY_PAUSE) < 0) ? pause.multipliedBy(2) : MAX_RETRY_PAUSE;
			}
		};
	}

}
