package io.herald.ingestion.template;

import io.herald.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The template catalog, followed from {@code herald.templates}, and the application's
 * availability, whose readiness waits for the catalog to load.
 */
@Configuration(proxyBeanMethods = false)
class TemplateCatalogConfiguration {

	@Bean
	KafkaTemplateCatalog templateCatalog(KafkaProperties kafkaProperties, TemplateCatalogProperties properties,
			MeterRegistry registry) {
		return new KafkaTemplateCatalog(Topics.TEMPLATES.name(), kafkaProperties.buildConsumerProperties(),
				properties.syncTimeout(), registry);
	}

	@Bean
	CatalogAwareAvailability applicationAvailability(KafkaTemplateCatalog catalog) {
		return new CatalogAwareAvailability(catalog::isLoaded);
	}

}
