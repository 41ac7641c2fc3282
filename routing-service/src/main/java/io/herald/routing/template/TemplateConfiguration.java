package io.herald.routing.template;

import io.herald.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

import java.nio.file.Path;

/**
 * The {@link TemplateRenderer}: each tenant's own templates, followed from the template
 * catalog topic, over the shared templates of {@code herald.routing.templates.directory}
 * (or the packaged ones), which are loaded and checked as the application starts, so a
 * broken template stops the start with an {@link InvalidTemplateException} naming its
 * file and line.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TemplateProperties.class)
class TemplateConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(TemplateConfiguration.class);

	@Bean
	MustacheTemplateCatalog sharedTemplates(TemplateProperties properties, ResourceLoader resourceLoader) {
		Path directory = properties.directory();
		MustacheTemplateCatalog catalog = (directory != null) ? MustacheTemplateCatalog.fromDirectory(directory)
				: MustacheTemplateCatalog
					.fromClasspath(ResourcePatternUtils.getResourcePatternResolver(resourceLoader));
		logger.info("Loaded templates {} from {}", catalog.templateIds(),
				(directory != null) ? directory.toAbsolutePath() : "classpath:" + TemplateSources.CLASSPATH_ROOT + "/");
		return catalog;
	}

	@Bean
	TenantTemplates tenantTemplates(KafkaProperties kafkaProperties) {
		return new TenantTemplates(Topics.TEMPLATES.name(), kafkaProperties.buildConsumerProperties());
	}

	@Bean
	Templates templateRenderer(TenantTemplates tenants, MustacheTemplateCatalog shared, TemplateProperties properties,
			MeterRegistry registry) {
		return new Templates(tenants, shared, properties.catalogWait(), registry);
	}

}
